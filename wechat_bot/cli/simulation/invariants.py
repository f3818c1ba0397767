"""The invariants a run must hold, read from the database, the outbox, the emulator and the
journal after the run. Each check yields Breaches naming the order and what is wrong; the
owner check is here, the others in claims.py, delivery.py and recount.py."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from models.lifecycle import OPEN_STATES, SUBMITTED
from models.notifications import SENT, Notification
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.sla_limits import limits_for
from models.sla_overrides import effective_sla

INVARIANTS = {
    "owned": "every order is finished, cancelled, or has an owner who was told, and is never "
             "silent longer than the escalation ladder",
    "claims": "every reply or timeline note that claims an action has its effect",
    "numbers": "every template message about an order names its number",
    "delivery": "no notification lost or sent twice",
    "statistics": "statistics recomputed from the events equal those shown",
    "answered": "every message and desk action was answered and understood",
}
DISPATCH_GRACE = timedelta(minutes=2)   # a new order waits this long for a worker round


@dataclass(frozen=True)
class Breach:
    """One broken invariant: which, on which order ('' for none), and what happened."""
    invariant: str
    order: str
    detail: str


class Facts:
    """The database after a run, read once: orders, their events and notices, and the users."""

    def __init__(self, now: datetime, sla: dict):
        self.now, self.sla = now, effective_sla(sla)
        self.orders = list(RepairOrder.select().order_by(RepairOrder.id))
        self.by_number = {order.number: order for order in self.orders}
        self.by_id = {order.id: order for order in self.orders}
        self.users = {user.id: user for user in User.select()}
        self.by_openid = {user.openid: user for user in self.users.values()}
        self.events = _grouped(OrderEvent.select().order_by(OrderEvent.created_at, OrderEvent.id))
        self.notices = _grouped(Notification.select().order_by(Notification.id))

    def staff_notices(self, order: RepairOrder) -> list[Notification]:
        """Notices about `order` to anyone but its reporter."""
        return [n for n in self.notices[order.id] if n.recipient_id != order.reporter_id]

    def ladder(self, order: RepairOrder) -> timedelta:
        """The longest an open order may go untouched: its completion limit, then the ladder."""
        name = order.category.name if order.category_id else None
        limits = limits_for(name, order.priority, self.sla)
        return timedelta(minutes=(limits.complete_minutes or 24 * 60)
                         + limits.escalate_leader_minutes)

    def name(self, user_id) -> str:
        user = self.users.get(user_id)
        return user.name or user.openid if user else "nobody"


def _grouped(rows) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.order_id].append(row)
    return grouped


def owned(facts: Facts) -> Iterator[Breach]:
    """Open orders: an owner who was told (engineer, vendor, or queue with someone told)."""
    for order in facts.orders:
        if order.status not in OPEN_STATES:
            continue
        problem = _owner_problem(facts, order) or _silence(facts, order)
        if problem:
            yield Breach("owned", order.number, problem)


def _owner_problem(facts: Facts, order: RepairOrder) -> str:
    told = facts.staff_notices(order)
    if order.status == SUBMITTED and order.queued_at:
        if not any(n.created_at >= order.queued_at for n in told):
            return f"queued since {order.queued_at:%m-%d %H:%M} and nobody was told"
    elif order.status == SUBMITTED:
        if facts.now - order.submitted_at > DISPATCH_GRACE and not order.queued_at:
            return "waiting for dispatch and never dispatched or queued"
    elif order.engineer_id:
        since = order.dispatched_at or order.submitted_at
        if not any(n.kind == "new_job" and n.recipient_id == order.engineer_id
                   and n.created_at >= since and n.status == SENT for n in told):
            return (f"{order.status} with {facts.name(order.engineer_id)}, "
                    "who was never sent the job")
    elif not order.vendor_name:
        return f"{order.status} with nobody: no engineer and no vendor"
    return ""


def _silence(facts: Facts, order: RepairOrder) -> str:
    """Nobody told and no member of staff acting for longer than the escalation ladder."""
    touched = [order.submitted_at]
    touched += [n.created_at for n in facts.staff_notices(order)]
    touched += [e.created_at for e in facts.events[order.id]
                if e.actor_id is not None and e.actor_id != order.reporter_id]
    last = max(touched)
    if facts.now - last > facts.ladder(order):
        hours = (facts.now - last).total_seconds() / 3600
        owner = f" with {order.vendor_name}" if order.vendor_name else ""
        return (f"{order.status}{owner}, silent for {hours:.0f} hours since "
                f"{last:%m-%d %H:%M}: nobody told, nobody acting")
    return ""


def answered(journal) -> Iterator[Breach]:
    """Every snag a simulated person hit: an error, a question they could not answer, a form
    the back office refused."""
    for snag in journal.snags:
        yield Breach("answered", snag.order, f"{snag.at:%m-%d %H:%M} {snag.who}: {snag.what}")
