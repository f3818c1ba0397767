"""Everything the emulator remembers, in process memory under one lock (it is one process).

The methods below the handlers' part are the test controls: in-process tests call them on
`app.extensions["sandbox"]`, HTTP clients reach the same ones under /_sandbox/.
"""
from __future__ import annotations

import copy
import itertools
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from typing import Optional

from wechat_bot.clock import Clock
from wechat_bot.sandbox.faults import FaultPlan
from wechat_bot.sandbox.samples import SAMPLES
from wechat_bot.sandbox.tokens import TokenBook

MAX_RECORDS = 10_000  # calls and messages kept: `make run` may go on for days
DEDUP_SECONDS = 600  # WeChat sends one message per openid + client_msg_id within 10 minutes
MEDIA_SECONDS = 3 * 86400  # temporary media lives 3 days
RESERVED_TAGS = {2: "星标组"}  # every account has it; tags it creates start at 100
FIRST_TAG_ID = 100


@dataclass
class Media:
    kind: str
    data: bytes
    content_type: str
    created_at: int


class SandboxState:
    """Tokens, users, menus, tags, media, records and planned faults of one emulated account."""

    def __init__(self, app_id: str, app_secret: str, clock=None):
        self.app_id, self.app_secret = app_id, app_secret
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self._serial = itertools.count(200_000_001)  # msgids and menuids, unique for the process
        self.reset()

    def reset(self) -> None:
        """Forget everything: tokens, users, menus, tags, media, records and faults."""
        with self.lock:
            self.tokens = TokenBook(self.clock)
            self.faults = FaultPlan()
            self.call_log: deque = deque(maxlen=MAX_RECORDS)
            self.templates: deque = deque(maxlen=MAX_RECORDS)
            self.custom: deque = deque(maxlen=MAX_RECORDS)
            self.sent: dict[tuple, tuple] = {}  # (touser, client_msg_id) → (msgid, sent_at)
            self.unsubscribed: set[str] = set()
            self.menu: Optional[list] = None
            self.conditional: dict[int, dict] = {}
            self.tags: dict[int, str] = dict(RESERVED_TAGS)
            self.user_tags: dict[str, list] = {}
            self.media: dict[str, Media] = {}
            self.qrcodes: list[dict] = []

    def now(self) -> int:
        return self.clock.timestamp()

    def next_serial(self) -> int:
        return next(self._serial)

    # ---- what the API handlers record (callers of these hold the lock) ---------------------

    def record_call(self, method: str, path: str, query: dict, body) -> dict:
        """A received call, before it is answered; finish_call fills in the errcode."""
        call = {"method": method, "path": path, "query": query, "body": body,
                "time": self.now(), "errcode": None, "duplicate": False}
        with self.lock:
            self.call_log.append(call)
        return call

    def finish_call(self, call: dict, errcode: int) -> None:
        with self.lock:
            call["errcode"] = errcode

    def sent_msgid(self, touser: str, client_msg_id) -> Optional[int]:
        """The msgid of the same touser + client_msg_id sent in the last 10 minutes, if any."""
        if not client_msg_id:
            return None
        msgid, sent_at = self.sent.get((touser, str(client_msg_id)), (None, 0))
        return msgid if msgid and self.now() - sent_at < DEDUP_SECONDS else None

    def deliver_template(self, body: dict) -> int:
        """Keep a template message as delivered and remember its client_msg_id; its msgid."""
        msgid, now = self.next_serial(), self.now()
        self.templates.append({**copy.deepcopy(body), "msgid": msgid, "time": now})
        self.sent = {key: seen for key, seen in self.sent.items()
                     if now - seen[1] < DEDUP_SECONDS}
        if body.get("client_msg_id"):
            self.sent[(body["touser"], str(body["client_msg_id"]))] = (msgid, now)
        return msgid

    def deliver_custom(self, body: dict) -> None:
        self.custom.append({**copy.deepcopy(body), "time": self.now()})

    def find_media(self, media_id: str) -> Optional[Media]:
        """Media this account issued in the last 3 days."""
        media = self.media.get(media_id)
        if media is None or self.now() - media.created_at >= MEDIA_SECONDS:
            return None
        return media

    def store_media(self, kind: str, data: bytes, content_type: str,
                    media_id: Optional[str] = None) -> str:
        media_id = media_id or secrets.token_urlsafe(48)  # 64 characters, like WeChat's
        with self.lock:
            self.media[media_id] = Media(kind, data, content_type, self.now())
        return media_id

    # ---- test controls ---------------------------------------------------------------------

    def calls(self, path: Optional[str] = None) -> list[dict]:
        """Every /cgi-bin call received (oldest first), optionally only those to `path`."""
        with self.lock:
            return [copy.deepcopy(call) for call in self.call_log
                    if path is None or call["path"] == path]

    def delivered_templates(self) -> list[dict]:
        """Template messages delivered: each once, however often it was retried."""
        with self.lock:
            return copy.deepcopy(list(self.templates))

    def delivered_templates_after(self, msgid: int) -> list[dict]:
        """Template messages delivered after the one with `msgid`, oldest first (msgids grow:
        a reader that polls often, like the simulator, copies only what is new)."""
        newer = []
        with self.lock:
            for template in reversed(self.templates):
                if template["msgid"] <= msgid:
                    break
                newer.append(copy.deepcopy(template))
        return newer[::-1]

    def delivered_custom(self) -> list[dict]:
        """Customer-service messages delivered."""
        with self.lock:
            return copy.deepcopy(list(self.custom))

    def issued_qrcodes(self) -> list[dict]:
        """QR codes created: ticket, url, action_name, scene, created_at."""
        with self.lock:
            return copy.deepcopy(self.qrcodes)

    def add_fault(self, path: str, errcode: Optional[int] = None, delay: float = 0.0,
                  times: int = 1) -> dict:
        """The next `times` calls to `path` ('*': any) wait `delay` s, then answer `errcode`."""
        with self.lock:
            return self.faults.add(path, errcode, delay, times).as_dict()

    def pending_faults(self) -> list[dict]:
        with self.lock:
            return [fault.as_dict() for fault in self.faults.pending]

    def take_fault(self, path: str):
        with self.lock:
            return self.faults.take(path)

    def unsubscribe(self, *openids: str) -> None:
        """These users no longer follow the account: messages to them get 43004."""
        with self.lock:
            self.unsubscribed.update(openids)

    def subscribe(self, *openids: str) -> None:
        """These users follow the account again (every openid does unless unsubscribed)."""
        with self.lock:
            self.unsubscribed.difference_update(openids)

    def expire_tokens(self) -> None:
        """Every token issued so far answers 42001 from now on."""
        with self.lock:
            self.tokens.expire_all()

    def invalidate_tokens(self) -> None:
        """Every token issued so far answers 40001 from now on."""
        with self.lock:
            self.tokens.invalidate_all()

    def issue_media(self, kind: str = "image", media_id: Optional[str] = None) -> str:
        """A media id as if a user had sent a photo (or voice): media/get serves a sample file."""
        if kind not in SAMPLES:
            raise ValueError(f"kind must be one of {', '.join(SAMPLES)}")
        data, content_type = SAMPLES[kind]
        return self.store_media(kind, data, content_type, media_id)
