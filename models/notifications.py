"""The transactional outbox: template messages written with the change that causes them."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Optional

from peewee import (BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from models.database import BaseModel, db, fast_create, is_sqlite
from models.orders import RepairOrder
from models.people import User

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"


class Notification(BaseModel):
    """One template message to one user, delivered by the worker."""
    kind = CharField(max_length=32)
    order = ForeignKeyField(RepairOrder, null=True, backref="notifications", on_delete="CASCADE")
    recipient = ForeignKeyField(User, on_delete="CASCADE", index=False)  # never searched
    openid = CharField(max_length=64)
    template_id = CharField(max_length=64)
    payload = TextField()  # JSON: {"context": …} when queued; {"data": {keyword: value}} once composed
    client_msg_id = CharField(max_length=64, unique=True)
    status = CharField(max_length=8, default=PENDING)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField()
    lease_until = DateTimeField(null=True)
    last_error = TextField(default="")
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True)
    msgid = BigIntegerField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)

    @property
    def content(self) -> dict:
        """The payload: the context it was queued with, and the values once composed."""
        return json.loads(self.payload)

    @property
    def data(self) -> Optional[dict]:
        """The keyword → value map to send (None until the worker composed it)."""
        return self.content.get("data")

    @property
    def url(self) -> str:
        """Where tapping the message leads ('' for nowhere)."""
        return self.content.get("url", "")


def write_pending(order: Optional[RepairOrder], values: dict) -> Notification:
    """Write a pending message about `order` from its other fields (pending_values); call
    inside the transaction of the change it reports."""
    return fast_create(Notification, order=order, **values)


def pending_values(kind: str, recipient: User, template_id: str, payload: dict,
                   now: datetime) -> dict:
    """A pending message's fields, but for its order (written by whoever stores the order)."""
    return dict(kind=kind, recipient=recipient, openid=recipient.openid, template_id=template_id,
                payload=json.dumps(payload, ensure_ascii=False), client_msg_id=uuid.uuid4().hex,
                next_attempt_at=now, created_at=now)


def store_composed(note: Notification, data: dict) -> None:
    """Keep the composed values, so every retry sends exactly the same message."""
    payload = dict(note.content, data=data)
    note.payload = json.dumps(payload, ensure_ascii=False)
    Notification.update(payload=note.payload).where(Notification.id == note.id).execute()


def claim_due(now: datetime, lease: timedelta, limit: int) -> list[Notification]:
    """Take up to `limit` due messages for this worker; a dead worker's claims expire.

    One UPDATE … RETURNING claims the batch (it was two statements a message). On PostgreSQL the
    rows another worker is claiming right now are skipped rather than waited for, so two
    workers share a busy outbox instead of queueing behind each other.
    """
    due = ((Notification.status == PENDING) & (Notification.next_attempt_at <= now)) | \
          ((Notification.status == SENDING) & (Notification.lease_until < now))
    oldest = (Notification.select(Notification.id).where(due)
              .order_by(Notification.next_attempt_at, Notification.id).limit(limit))
    if not db.returning_clause:  # e.g. an old SQLite: claim one by one
        return _claim_each(list(oldest), now, lease)
    claim = Notification.update(status=SENDING, lease_until=now + lease)
    if is_sqlite():   # one writer at a time: nobody else can claim meanwhile
        claim = claim.where(Notification.id.in_(oldest))
    else:   # a CTE runs once (PostgreSQL may run an IN subquery again and claim too many)
        chosen = oldest.for_update("FOR UPDATE SKIP LOCKED").cte("chosen")
        claim = claim.with_cte(chosen).from_(chosen).where(Notification.id == chosen.c.id)
    claimed = claim.where(due).returning(Notification).execute()
    return sorted(claimed, key=lambda note: (note.next_attempt_at, note.id))


def _claim_each(rows: list[Notification], now: datetime, lease: timedelta) -> list[Notification]:
    claimed = []
    for row in rows:
        won = Notification.update(status=SENDING, lease_until=now + lease).where(
            Notification.id == row.id,
            ((Notification.status == PENDING) | (Notification.lease_until < now))).execute()
        if won:
            claimed.append(Notification.get_by_id(row.id))
    return claimed


def mark_sent(note: Notification, msgid: int, now: datetime) -> None:
    """Delivered: WeChat accepted it."""
    Notification.update(status=SENT, sent_at=now, msgid=msgid, attempts=note.attempts + 1,
                        lease_until=None, last_error="").where(Notification.id == note.id).execute()


def mark_retry(note: Notification, error: str, when: datetime) -> None:
    """A transient failure: try again at `when`."""
    Notification.update(status=PENDING, attempts=note.attempts + 1, next_attempt_at=when,
                        lease_until=None, last_error=error[:500]).where(
        Notification.id == note.id).execute()


def mark_dead(note: Notification, error: str) -> None:
    """Given up for good; the reason stays for the back office."""
    Notification.update(status=DEAD, attempts=note.attempts + 1, lease_until=None,
                        last_error=error[:500]).where(Notification.id == note.id).execute()
