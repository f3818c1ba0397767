"""Sending orders where the assignment rules say: an engineer, the warranty vendor, or the queue.

The worker runs it for every submitted order (new, rejected, transferred or reopened), so the
webhook never waits on it; the back office calls the same code to dispatch by hand.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from models.assignment import ENGINEER, QUEUE, VENDOR, Decision
from models.assignment_data import suggest, supervisors_for
from models.database import db
from models.lifecycle import SUBMITTED, IllegalTransition
from models.orders import RepairOrder
from models.people import EngineerProfile, User
from models.workflow import fire
from wechat_bot.texts import Texts
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)


class Dispatcher:
    """Applies assignment decisions: status, event and notifications in one transaction."""

    def __init__(self, notifier: Notifier, texts: Texts):
        self.notifier, self.texts = notifier, texts

    def dispatch_pending(self, now: datetime, limit: int = 20, shift: Optional[str] = None) -> int:
        """Auto-dispatch submitted orders that are not waiting in the queue; how many."""
        waiting = (RepairOrder.select().where(RepairOrder.status == SUBMITTED,
                                              RepairOrder.queued_at.is_null())
                   .order_by(RepairOrder.id).limit(limit))
        handled = 0
        for order in waiting:
            try:
                self.dispatch(order, now, shift=shift)
            except IllegalTransition:  # cancelled or dispatched by hand meanwhile
                continue
            handled += 1
        return handled

    def dispatch(self, order: RepairOrder, now: datetime, actor: Optional[int] = None,
                 shift: Optional[str] = None) -> Decision:
        """Decide and apply (among engineers of `shift`); the decision is returned to show."""
        decision = suggest(order, now.date(), shift)
        with db.atomic():
            if decision.how == ENGINEER:
                self.to_engineer(order, decision.engineer_id, now, actor)
            elif decision.how == VENDOR:
                self._to_vendor(order, decision, now, actor)
            elif decision.how == QUEUE:
                self._to_queue(order, now)
        return decision

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

    def _to_vendor(self, order: RepairOrder, decision: Decision, now: datetime,
                   actor: Optional[int]) -> None:
        note = self.texts.say("events/vendor", vendor=decision.vendor, phone=decision.vendor_phone)
        fire(order, "dispatch", actor, now, note=note, vendor_name=decision.vendor,
             vendor_phone=decision.vendor_phone)
        self.notifier.queue("progress", order.reporter, order, now, note=note)

    def _to_queue(self, order: RepairOrder, now: datetime) -> None:
        note = self.texts.say("events/queued")
        fire(order, "queue", None, now, note=note)
        supervisors = supervisors_for(order)
        if not supervisors:
            log.warning("order %s queued and no supervisor to tell", order.number)
        for user in User.select().where(User.id.in_(supervisors)):
            self.notifier.queue("escalation", user, order, now, note=note)
