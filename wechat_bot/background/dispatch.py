"""Sending orders where the assignment rules say: an engineer, the warranty vendor, or the queue.

The worker runs it for every submitted order (new, rejected, transferred or reopened), so the
webhook never waits on it. It retries the queue after a change of staff (an engineer bound or
was switched on) and the clock every minute (a shift may have begun), so a queued order goes
out as soon as someone can take it. The back office calls the same code to dispatch by hand.
Urgent orders go first, and when one goes out the supervisors hear of it at once (紧急报修).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from peewee import JOIN

from models.assignment import ENGINEER, QUEUE, VENDOR, Decision
from models.assignment_data import suggest
from models.catalogue import FaultType
from models.contacts import chain, tell_first
from models.database import db, is_sqlite, transaction
from models.lifecycle import SUBMITTED, IllegalTransition
from models.orders import URGENT, OrderEvent, RepairOrder, urgent_first
from models.people import SUPERVISOR, EngineerProfile, User
from models.sla import held_for_desk
from models.sla_limits import limits_for
from models.sla_overrides import effective_sla
from models.workflow import fire, record_event
from wechat_bot.texts import Texts
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)
# Queued orders looked at a round (about 5 ms each): never timed out first, then the oldest.
QUEUE_RETRY_LIMIT = 200
URGENT_ALERT = "urgent"   # the timeline entry that says the supervisors were told (once)


class Dispatcher:
    """Applies assignment decisions: status, event and notifications in one transaction."""

    def __init__(self, notifier: Notifier, texts: Texts):
        self.notifier, self.texts = notifier, texts

    def dispatch_pending(self, now: datetime, limit: int = 20, shift: Optional[str] = None) -> int:
        """Auto-dispatch submitted orders that are not waiting in the queue; how many."""
        waiting = (RepairOrder.select().where(RepairOrder.status == SUBMITTED,
                                              RepairOrder.queued_at.is_null())
                   .order_by(urgent_first(), RepairOrder.id).limit(limit))
        handled = 0
        for order in waiting:
            try:
                handled += self._dispatch_unless_taken(order, now, shift)
            except IllegalTransition:  # cancelled or dispatched by hand meanwhile
                continue
        return handled

    def _dispatch_unless_taken(self, order: RepairOrder, now: datetime,
                               shift: Optional[str]) -> bool:
        """Dispatch one order unless another worker is dispatching it right now.

        Both workers read the same oldest orders; on PostgreSQL each takes an order's row
        lock first and skips a locked one, so they share the work instead of both deciding
        every order and one losing the race (a third of the dispatching, in make soak).
        SQLite has one writer anyway and keeps deciding outside its write lock.
        """
        if is_sqlite():
            self.dispatch(order, now, shift=shift)
            return True
        with db.atomic():
            mine = (RepairOrder.select(RepairOrder.id)
                    .where(RepairOrder.id == order.id, RepairOrder.status == SUBMITTED)
                    .for_update("FOR UPDATE SKIP LOCKED").tuples())
            if not list(mine):
                return False
            self.dispatch(order, now, shift=shift)
        return True

    def retry_queued(self, now: datetime, shift: Optional[str] = None,
                     sla_config: Optional[dict] = None) -> int:
        """Dispatch queued orders someone can take now; how many. The rest wait, untold again.

        Orders held after `max_accept_misses` timed-out dispatches stay for the desk.
        """
        queued = list(RepairOrder.select(RepairOrder, FaultType)
                      .join(FaultType, JOIN.LEFT_OUTER)
                      .where(RepairOrder.status == SUBMITTED, RepairOrder.queued_at.is_null(False))
                      .order_by(urgent_first(), RepairOrder.accept_misses,
                                RepairOrder.queued_at, RepairOrder.id)
                      .limit(QUEUE_RETRY_LIMIT))
        sla = effective_sla(sla_config) if queued else {}
        return sum(self._retry(order, now, shift) for order in queued if not _held(order, sla))

    def _retry(self, order: RepairOrder, now: datetime, shift: Optional[str]) -> bool:
        """Dispatch one queued order unless it would only be queued again."""
        decision = suggest(order, now.date(), shift)
        if decision.how == QUEUE:
            return False
        try:
            with db.atomic():
                self.apply(order, decision, now, shift=shift)
        except IllegalTransition:  # cancelled or dispatched by hand meanwhile
            return False
        return True

    def dispatch(self, order: RepairOrder, now: datetime, actor: Optional[int] = None,
                 shift: Optional[str] = None) -> Decision:
        """Decide and apply (among engineers of `shift`); the decision is returned to show."""
        decision = suggest(order, now.date(), shift)
        with transaction():   # the caller's, when it holds the order's row lock
            self.apply(order, decision, now, actor, shift)
            if order.priority == URGENT and decision.how != QUEUE:  # the queue tells them itself
                self.alert_urgent(order, decision, now, shift)
        return decision

    def alert_urgent(self, order: RepairOrder, decision: Decision, now: datetime,
                     shift: Optional[str]) -> None:
        """Tell the supervisors (else up the chain) that an urgent order went out; once."""
        if OrderEvent.select().where(OrderEvent.order == order,
                                     OrderEvent.trigger == URGENT_ALERT).exists():
            return  # dispatched again after a rejection: they know already
        name = User.get_by_id(decision.engineer_id).name if decision.how == ENGINEER else ""
        told = self.tell(order, now, shift, "events/urgent", engineer=name,
                         vendor=decision.vendor)
        record_event(order, URGENT_ALERT, None, now,
                     note=self.texts.say("events/urgent_note", told=told))

    def apply(self, order: RepairOrder, decision: Decision, now: datetime,
              actor: Optional[int] = None, shift: Optional[str] = None) -> None:
        """Carry out a decision in the caller's transaction."""
        if decision.how == ENGINEER:
            self.to_engineer(order, decision.engineer_id, now, actor)
        elif decision.how == VENDOR:
            self._to_vendor(order, decision, now, actor)
        elif decision.how == QUEUE:
            self._to_queue(order, now, shift)

    def to_engineer(self, order: RepairOrder, engineer_id: int, now: datetime,
                    actor: Optional[int] = None, note: Optional[str] = None) -> None:
        """Dispatch to one engineer and send them the new-job notice (the note is shown)."""
        engineer = User.get_by_id(engineer_id)
        note = note or self.texts.say("events/dispatched", name=engineer.name)
        fire(order, "dispatch", actor, now, note=note, engineer=engineer_id, queued_at=None,
             first_dispatched_at=order.first_dispatched_at or now)
        EngineerProfile.update(last_assigned_at=now).where(
            EngineerProfile.user == engineer_id).execute()
        self.notifier.queue("new_job", engineer, order, now)

    def tell(self, order: RepairOrder, now: datetime, shift: Optional[str], template: str,
             start: str = SUPERVISOR, **context) -> Optional[str]:
        """An escalation notice along models/contacts.py's chain from `start`; the link reached.

        The notice is messages/<template> rendered with `told` (the link); nobody reached is
        an error in the log, and the caller's timeline note says so.
        """
        def send(link: str, user: User):
            note = self.texts.say(template, told=link, order=order, **context)
            return self.notifier.queue("escalation", user, order, now, note=note)
        told = tell_first(chain(order, shift, start), send)
        if told is None:
            log.error("order %s needs a person and nobody could be told (%s)",
                      order.number, template)
        return told

    def _to_vendor(self, order: RepairOrder, decision: Decision, now: datetime,
                   actor: Optional[int]) -> None:
        note = self.texts.say("events/vendor", vendor=decision.vendor, phone=decision.vendor_phone)
        fire(order, "dispatch", actor, now, note=note, vendor_name=decision.vendor,
             vendor_phone=decision.vendor_phone)
        self.notifier.queue("progress", order.reporter, order, now, note=note)

    def _to_queue(self, order: RepairOrder, now: datetime, shift: Optional[str]) -> None:
        told = self.tell(order, now, shift, "events/queued")
        fire(order, "queue", None, now, note=self.texts.say("events/queued_note", told=told))


def _held(order: RepairOrder, sla: dict) -> bool:
    """Waiting for the desk after too many timed-out dispatches (its type's limits)."""
    name = order.category.name if order.category_id else None
    return held_for_desk(order.accept_misses, limits_for(name, order.priority, sla))
