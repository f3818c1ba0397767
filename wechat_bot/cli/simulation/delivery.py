"""The outbox against what the emulator delivered (compared by client_msg_id): no notification
lost, none sent or queued twice, and every message about an order names its number."""
from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

from models.notifications import DEAD, SENT, Notification
from wechat_bot.cli.simulation.invariants import Breach, Facts


def delivered(facts: Facts, journal) -> Iterator[Breach]:
    """Each outbox row reached the phone exactly once; nothing reached it from elsewhere."""
    counts = Counter(d.client_msg_id for d in journal.deliveries)
    rows = list(Notification.select().order_by(Notification.id))
    for note in rows:
        lost = _lost(note, counts[note.client_msg_id])
        if lost:
            yield Breach("delivery", _number(facts, note), f"{_what(facts, note)} {lost}")
    known = {note.client_msg_id for note in rows}
    for d in journal.deliveries:
        if d.client_msg_id not in known:
            yield Breach("delivery", "", f"a {d.kind or 'template'} message to {d.touser} at "
                                         f"{d.at:%m-%d %H:%M} that the outbox never held")
    yield from _queued_twice(facts, rows)


def numbers(facts: Facts, journal) -> Iterator[Breach]:
    """A delivered message about an order shows that order's number in one of its values."""
    about = {note.client_msg_id: note for note in Notification.select().where(
        Notification.order.is_null(False))}
    for d in journal.deliveries:
        note = about.get(d.client_msg_id)
        number = _number(facts, note) if note else ""
        if number and not d.mentions(number):
            yield Breach("numbers", number, f"the {d.kind} message to {d.touser} at "
                                            f"{d.at:%m-%d %H:%M} does not name the order")


def _lost(note: Notification, copies: int) -> str:
    if note.status == SENT and copies == 0:
        return "is marked sent but never reached the phone"
    if note.status == DEAD:
        return f"was given up: {note.last_error}"
    if note.status != SENT:
        return f"was still {note.status} when the run ended"
    return f"reached the phone {copies} times" if copies > 1 else ""


def _queued_twice(facts: Facts, rows: list[Notification]) -> Iterator[Breach]:
    """The same facts for the same person at the same moment, queued more than once."""
    seen = Counter((n.recipient_id, n.kind, n.order_id, n.created_at,
                    json.dumps(n.content.get("context"), sort_keys=True)) for n in rows)
    for (recipient, kind, order_id, at, _), count in seen.items():
        if count > 1:
            number = facts.by_id[order_id].number if order_id in facts.by_id else ""
            yield Breach("delivery", number, f"the {kind} notice to {facts.name(recipient)} at "
                                             f"{at:%m-%d %H:%M} was queued {count} times")


def _number(facts: Facts, note: Notification) -> str:
    order = facts.by_id.get(note.order_id)
    return order.number if order else ""


def _what(facts: Facts, note: Notification) -> str:
    return (f"the {note.kind} notice to {facts.name(note.recipient_id)} "
            f"of {note.created_at:%m-%d %H:%M}")
