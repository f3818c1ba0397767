"""The clock-driven jobs: SLA checks (and the dispatch queue), the survey and the handover.

Each job re-reads the orders it acts on and records what it did in the same transaction as
the notices it queues (an escalation step row, a survey reminder time, a status change), so
running it twice sends nothing twice.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Optional

from apscheduler.triggers.interval import IntervalTrigger

from models.assignment import ENGINEER, QUEUE, VENDOR, Decision
from models.assignment_data import suggest
from models.contacts import STEP_START, shift_staff
from models.database import db
from models.lifecycle import OPEN_STATES, IllegalTransition
from models.orders import RepairOrder
from models.people import SUPERVISOR, User
from models.repeats import MARK_BATCH, mark_repeats
from models.shifts import ShiftPlan, plan_from_config
from models.sla import (ACCEPT, ESCALATE, accept_miss_action, accept_timed_out, breaches,
                        next_escalation)
from models.sla_data import (awaiting_acceptance, awaiting_rating, claim_escalation,
                             order_clock, running_since)
from models.sla_limits import limits_for, survey_delays
from models.sla_overrides import effective_sla
from models.survey import survey_step
from models.workflow import fire, record_event
from wechat_bot.background.dispatch import Dispatcher
from wechat_bot.background.scheduler import Job
from wechat_bot.config import Settings
from wechat_bot.texts import Texts
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)
EPOCH = datetime(2020, 1, 1)
MARK_ROUNDS = 10   # repeat-mark batches a minute at most


class ClockJobs:
    """The job functions, sharing the notifier, the SLA settings and the shift plan."""

    def __init__(self, settings: Settings, notifier: Notifier, texts: Texts):
        self.notifier, self.texts, self.sla = notifier, texts, settings.sla
        self.plan: ShiftPlan = plan_from_config(settings.shifts)
        self.dispatcher = Dispatcher(notifier, texts)

    def jobs(self, zone) -> list[Job]:
        """The scheduled jobs with their fixed ids."""
        start = EPOCH.replace(tzinfo=zone)
        every = lambda **span: IntervalTrigger(**span, start_date=start, timezone=zone)  # noqa: E731
        return [Job("sla_check", every(minutes=1), self.check_sla),
                Job("survey", every(minutes=10), self.survey),
                Job("shift_handover", every(minutes=1), self.handover),
                Job("repeat_marks", every(minutes=1), self.mark_repeats)]

    def on_duty(self, now: datetime) -> Optional[str]:
        """The shift on duty now (None: no shift covers this instant)."""
        shift = self.plan.on_duty(now)
        return shift.name if shift else None

    def mark_repeats(self, now: datetime, since: Optional[datetime] = None) -> None:
        """Mark the new orders' repeat faults for the reports (a database that predates the
        marks catches up MARK_ROUNDS batches a minute, the reports seeking meanwhile)."""
        for _ in range(MARK_ROUNDS):
            if mark_repeats() < MARK_BATCH:
                return

    # ---- SLA: acceptance timeouts and the escalation ladder --------------------------------

    def check_sla(self, now: datetime, since: Optional[datetime] = None) -> None:
        """Retry the dispatch queue; re-dispatch or escalate late acceptances; send due
        escalation steps."""
        self.dispatcher.retry_queued(now, self.on_duty(now), self.sla)  # a shift may have begun
        sla = effective_sla(self.sla)  # read once a run: limits edited in the back office count
        for order in awaiting_acceptance(now, timedelta(minutes=1)):
            self._check_acceptance(order, now, sla)
        for order in running_since(now, timedelta(minutes=1)):
            self._escalate(order, now, sla)

    def _limits(self, order: RepairOrder, sla: dict):
        name = order.category.name if order.category_id else None
        limits = limits_for(name, order.priority, sla)
        return limits, self.plan.calendar(limits.calendar)

    def _check_acceptance(self, order: RepairOrder, now: datetime, sla: dict) -> None:
        limits, calendar = self._limits(order, sla)
        clock = order_clock(order)
        if not accept_timed_out(clock, limits, calendar, now):
            return
        held = accept_miss_action(clock, limits) == ESCALATE
        shift = self.on_duty(now)
        # Decided before the timeout is written, so its note can say where the order went.
        decision = None if held else suggest(order, now.date(), shift, (order.engineer_id,))
        try:
            with db.atomic():
                self._withdraw(order, now, limits.accept_minutes, decision, shift)
        except IllegalTransition:  # accepted, cancelled or re-dispatched by hand a moment ago
            return

    def _withdraw(self, order: RepairOrder, now: datetime, minutes: int,
                  decision: Optional[Decision], shift: Optional[str]) -> None:
        """Take the job back, tell its engineer, then dispatch again or queue (None: held)."""
        engineer, misses = order.engineer, order.accept_misses + 1
        onward = decision is not None and decision.how != QUEUE
        told = None if onward else self.dispatcher.tell(
            order, now, shift, "events/queued" if decision else "jobs/accept_escalation_note",
            misses=misses)
        fire(order, "timeout", engineer.id, now, only_engineer=engineer.id, engineer=None,
             note=self._timeout_note(minutes, decision, misses, told),
             accept_misses=misses, queued_at=None if onward else now)
        self.notifier.queue("cancelled", engineer, order, now,
                            note=self.texts.say("jobs/withdrawn_note"))
        if onward:
            self.dispatcher.apply(order, decision, now, shift=shift)

    def _timeout_note(self, minutes: int, decision: Optional[Decision], misses: int,
                      told: Optional[str]) -> str:
        """The timeline note of a timeout: to whom it went next, or who hears it waits."""
        how = decision.how if decision else None
        name = User.get_by_id(decision.engineer_id).name if how == ENGINEER else ""
        return self.texts.say("jobs/timeout_note", minutes=minutes, name=name,
                              vendor=decision.vendor if how == VENDOR else "",
                              held=decision is None, misses=misses, told=told)

    def _escalate(self, order: RepairOrder, now: datetime, sla: dict) -> None:
        limits, calendar = self._limits(order, sla)
        clock = order_clock(order)
        step = next_escalation(clock, limits, calendar, now)
        if step is None:
            return
        late = [c for c in breaches(clock, limits, calendar, now) if c != ACCEPT]
        with db.atomic():
            if claim_escalation(order, step, now):
                told = self.dispatcher.tell(order, now, self.on_duty(now), "jobs/escalation_note",
                                            start=STEP_START[step], clock=late[0])
                record_event(order, "escalate", None, now, note=self.texts.say(
                    "jobs/escalation_event", clock=late[0], told=told))

    # ---- the call-back survey (回访) ------------------------------------------------------

    def survey(self, now: datetime, since: Optional[datetime] = None) -> None:
        """Remind unrated reporters once, then close the order as unrated."""
        remind_after, close_after = survey_delays(self.sla)
        for order in awaiting_rating():
            step = survey_step(order.told_at, order.rated_at,
                               1 if order.survey_reminded_at else 0, now,
                               remind_after, close_after)
            if step == "remind":
                self._remind(order, now)
            elif step == "close_unrated":
                self._close_unrated(order, now, close_after)

    def _remind(self, order: RepairOrder, now: datetime) -> None:
        with db.atomic():
            first = RepairOrder.update(survey_reminded_at=now).where(
                RepairOrder.id == order.id, RepairOrder.survey_reminded_at.is_null()).execute()
            if first:
                self.notifier.queue("survey", order.reporter, order, now)

    def _close_unrated(self, order: RepairOrder, now: datetime, after: timedelta) -> None:
        note = self.texts.say("jobs/unrated_note", hours=int(after.total_seconds() // 3600))
        try:
            fire(order, "close", None, now, note=note, unrated=True)
        except IllegalTransition:  # rated a moment ago
            pass

    # ---- shift handover (交接班) ----------------------------------------------------------

    def handover(self, now: datetime, since: Optional[datetime] = None) -> None:
        """At a shift change, send the unfinished orders to the incoming desk and supervisors."""
        change = self.plan.latest_change(since or now - timedelta(minutes=1), now)
        if change is None or change.incoming is None:
            return
        unfinished = list(RepairOrder.select().where(RepairOrder.status.in_(OPEN_STATES))
                          .order_by(RepairOrder.submitted_at, RepairOrder.id))
        sla = effective_sla(self.sla)
        overdue = [o for o in unfinished if self._overdue(o, now, sla)]
        context = dict(desk=change.incoming.desk, open_count=len(unfinished),
                       overdue_count=len(overdue),
                       oldest=unfinished[0].number if unfinished else "-")
        told = self._incoming_staff(change.incoming.name)
        with db.atomic():
            for user in told:
                self.notifier.queue("handover", user, None, now, **context)
        log.info("shift change at %s: %s takes over from %s; open orders %d, overdue %d; "
                 "handover list queued for %d staff", f"{change.at:%H:%M}", change.incoming.name,
                 change.outgoing.name if change.outgoing else "nobody", len(unfinished),
                 len(overdue), len(told))

    def _overdue(self, order: RepairOrder, now: datetime, sla: dict) -> bool:
        limits, calendar = self._limits(order, sla)
        return bool(breaches(order_clock(order), limits, calendar, now))

    def _incoming_staff(self, shift_name: str) -> list[User]:
        staff = shift_staff(shift_name)
        supervisors = User.select().where(User.role == SUPERVISOR,
                                          User.id.not_in([user.id for user in staff]))
        return sorted(staff + list(supervisors), key=lambda user: user.id)
