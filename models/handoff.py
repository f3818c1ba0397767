"""转人工: somebody asked in chat to talk to a person; the desk sees it in the back office.

One open request per person: asking again (three times in a row, or the next day while the
desk has not answered yet) brings the same request back to the top with the latest words,
never a second line for the desk to call twice.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from models.database import BaseModel, transaction
from models.people import User
from models.staff import StaffAccount

TEXT_LIMIT = 200


class HandoffRequest(BaseModel):
    """A person waiting for the desk to call or answer them, until someone marks it handled."""
    user = ForeignKeyField(User, backref="handoffs", on_delete="CASCADE", index=False)
    text = CharField(max_length=TEXT_LIMIT, default="")   # what they wrote, the latest ask
    created_at = DateTimeField()
    asked_at = DateTimeField()          # the latest ask: the desk's list is newest first
    times = IntegerField(default=1)     # how often they asked while it was open
    handled_at = DateTimeField(null=True)
    handled_by = ForeignKeyField(StaffAccount, null=True, on_delete="SET NULL")

    class Meta:
        # The desk's list (open ones, newest ask first) and one person's open request.
        indexes = ((("handled_at", "asked_at"), False), (("user", "handled_at"), False))

    @classmethod
    def open_requests(cls, limit: int) -> list["HandoffRequest"]:
        """Open requests with their users, the newest ask first."""
        return list(cls.select(cls, User).join(User).where(cls.handled_at.is_null())
                    .order_by(cls.asked_at.desc(), cls.id.desc()).limit(limit))

    @classmethod
    def open_count(cls) -> int:
        """How many people wait for the desk."""
        return cls.select().where(cls.handled_at.is_null()).count()


def request_handoff(user_id: int, text: str, now: datetime) -> HandoffRequest:
    """Flag the person for the desk: their open request asked again, or a new one.

    `times` on the result says how often they have asked (1: the desk hears of it now).
    """
    text = " ".join((text or "").split())[:TEXT_LIMIT]
    with transaction():
        found = _open_of(user_id)
        if found is None:
            return HandoffRequest.create(user=user_id, text=text, created_at=now, asked_at=now)
        found.asked_at, found.times = now, found.times + 1
        found.text = text or found.text
        found.save()
        return found


def mark_handled(request_id: int, staff: StaffAccount, now: datetime) -> bool:
    """Mark a request handled by `staff`; False when it was already (by someone else)."""
    return bool(HandoffRequest.update(handled_at=now, handled_by=staff)
                .where(HandoffRequest.id == request_id, HandoffRequest.handled_at.is_null())
                .execute())


def _open_of(user_id: int) -> Optional[HandoffRequest]:
    return (HandoffRequest.select().where(HandoffRequest.user == user_id,
                                          HandoffRequest.handled_at.is_null())
            .order_by(HandoffRequest.id.desc()).first())
