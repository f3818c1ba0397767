"""What a handler gets for one turn: the message, the user, their draft and the time.

Handlers see the runtime only through the small protocols below, so this package imports
nothing from the runtime: the chat runner builds a Turn from its own objects, which fit them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Optional, Protocol

from models.people import REPORTER, User
from models.sla_overrides import effective_sla


class Message(Protocol):
    """The parts of an incoming WeChat message or event that handlers read."""
    openid: str
    msg_type: str
    media_id: str
    pic_url: str
    recognition: str
    event: str
    event_key: str
    label: str

    @property
    def text(self) -> str:
        """What the user said: typed text, or the recognition of a voice message."""


class Speaker(Protocol):
    """Renders the Chinese texts users read (templates/messages/)."""

    def say(self, template: str, /, **context: Any) -> str:
        """The text of one reply template."""


class Notices(Protocol):
    """Queues template messages in the caller's database transaction."""

    def queue(self, kind: str, recipient: User, order: Any, now: datetime, **context: Any) -> Any:
        """Write one pending message for the worker to send."""

    def pending(self, kind: str, recipient: User, status: str, now: datetime,
                **context: Any) -> Optional[dict]:
        """The fields of a pending message but its order, for whoever writes the order."""


class Tries(Protocol):
    """Counts a user's tries at an invite code, so guessing codes gets nowhere."""
    lock_minutes: int   # how long a user who failed too often waits

    def attempt(self, openid: str) -> Optional[str]:
        """Count a try; its id when the code may be checked, None after too many failures."""

    def failed(self, openid: str) -> None:
        """Note a wrong code (for the operator's log)."""

    def succeeded(self, openid: str, attempt: str) -> None:
        """A good code: forget the user's failures."""


class ConversationRules(Protocol):
    """The [conversation] settings handlers obey."""
    idle_minutes: int
    max_photos: int
    recent_orders: int
    invite_days: int
    unit_label: str      # 学院/部门, 楼栋房号, or "" (not asked)
    units: tuple         # its choices; empty: typed freely


class Profile:
    """The user facts every turn needs, cached in Redis so a turn needs no database read.

    Someone never seen before has no users row yet: their first turns only answer, and the row
    is written when a handler first asks for `id` (确认, 绑定, a photo, 我的报修 ...), in that
    handler's transaction. So a first contact writes nothing to the database.
    """

    def __init__(self, id: Optional[int], openid: str, role: str = REPORTER, phone: str = "",
                 name: str = "", unit: str = "", first_seen: str = ""):
        self.stored_id, self.openid, self.role = id, openid, role
        self.phone, self.name = phone, name
        self.unit = unit    # 学院/部门 or 楼栋房号, as the reporter gave it
        self.first_seen = first_seen   # ISO time of a row-less user's first message
        self.stored_now = False        # the row was written in this turn: cache the id

    @property
    def id(self) -> int:
        """The user's id; their users row is written now if they have none yet."""
        if self.stored_id is None:
            seen = datetime.fromisoformat(self.first_seen) if self.first_seen else None
            self.stored_id = User.id_for(self.openid, seen or datetime.now())
            self.stored_now = True
        return self.stored_id

    def as_dict(self) -> dict:
        """The cacheable form (Profile(**it) makes the profile again)."""
        facts = {"id": self.stored_id, "openid": self.openid, "role": self.role,
                 "phone": self.phone, "name": self.name, "unit": self.unit}
        if self.stored_id is None:
            facts["first_seen"] = self.first_seen
        return facts


@dataclass
class Turn:
    """One incoming message being handled; handlers read it and change `draft`/`profile`."""
    msg: Message
    profile: Profile
    draft: Optional[dict]
    now: datetime
    settings: ConversationRules
    texts: Speaker
    notifier: Optional[Notices] = None
    tries: Optional[Tries] = None   # 绑定's throttle; None where nothing guesses (unit tests)
    sla_settings: dict = field(default_factory=dict)   # the raw [sla] settings
    shifts: dict = field(default_factory=dict)   # the raw [shifts] settings
    service_phone: str = ""      # [app] service_phone: the number to call when chat cannot help
    emergency_phone: str = ""    # [app] emergency_phone, else service_phone
    service_hours: str = ""      # [app] service_hours: when the desk answers ("每天 8:00-22:00")
    charges: str = ""            # [app] charges: what is free and what is paid
    lapsed: bool = False
    profile_dirty: bool = False
    wake_worker: bool = False    # set when the turn queued work for the worker
    pool_changed: bool = False   # who can take orders changed: the worker retries the queue

    @cached_property
    def sla(self) -> dict:
        """[sla] with the fault types' own limits (read once a turn, and only when asked)."""
        return effective_sla(self.sla_settings)

    def say(self, template: str, /, **context) -> str:
        """Render a reply template."""
        return self.texts.say(template, **context)

    def update_profile(self, **changes) -> None:
        """Change cached user facts (the caller has written them to the database)."""
        for key, value in changes.items():
            setattr(self.profile, key, value)
        self.profile_dirty = True

    def user_ref(self):
        """The user as a model instance for foreign keys, without a database read."""
        return User(id=self.profile.id, openid=self.profile.openid, name=self.profile.name,
                    phone=self.profile.phone, role=self.profile.role)

    def notify(self, kind: str, recipient, order, **context) -> Any:
        """Queue a template message in the current transaction and wake the worker.

        The queued message, or None when it cannot reach the recipient (no template, no WeChat).
        """
        self.wake_worker = True
        return self.notifier.queue(kind, recipient, order, self.now, **context)

    def notice(self, kind: str, recipient, status: str, **context) -> Optional[dict]:
        """A template message to be written with a new order (its fields but the order), and
        wake the worker; None when it cannot reach the recipient."""
        self.wake_worker = True
        return self.notifier.pending(kind, recipient, status, self.now, **context)

    @property
    def args(self) -> str:
        """The text after the command word (报修 3号楼201 漏水 → '3号楼201 漏水')."""
        parts = self.msg.text.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""
