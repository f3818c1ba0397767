"""SLA clocks of one order: deadlines, breaches, acceptance timeouts and the escalation ladder.

Pure: an OrderClock of plain datetimes (naive local time, as stored), Limits and a Calendar in,
answers out; the worker loads the facts and acts on the answers. Time suspended (挂起) never
counts: every clock is measured in business time with the suspensions cut out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Optional

from models.work_calendar import Calendar, Pause
from models.lifecycle import (CLOSED, COMPLETED, DISPATCHED, OPEN_STATES, RATED,
                              SUBMITTED)
from models.sla_limits import Limits

ACCEPT, ARRIVE, COMPLETE = "accept", "arrive", "complete"
ENGINEER_REMINDER, SUPERVISOR, LEADER = "engineer_reminder", "supervisor", "leader"
ESCALATION_STEPS = (ENGINEER_REMINDER, SUPERVISOR, LEADER)
STEP_OFFSET = {ENGINEER_REMINDER: "escalate_engineer_minutes",
               SUPERVISOR: "escalate_supervisor_minutes", LEADER: "escalate_leader_minutes"}
# A late acceptance has its own remedy (re-dispatch, then escalate after max_accept_misses);
# the ladder chases orders that are late to be reached or finished.
LADDER_CLOCKS = (ARRIVE, COMPLETE)
DONE_STATES = (COMPLETED, RATED, CLOSED)
REDISPATCH, ESCALATE = "redispatch", "escalate"


@dataclass(frozen=True)
class OrderClock:
    """The facts about one order that its SLA clocks need."""
    submitted_at: datetime
    status: str
    dispatched_at: Optional[datetime] = None        # the latest dispatch: the acceptance clock
    first_dispatched_at: Optional[datetime] = None  # the same-day rule; None: dispatched_at
    accepted_at: Optional[datetime] = None
    arrived_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    suspensions: tuple[Pause, ...] = ()             # (suspended, resumed or None)
    accept_misses: int = 0                          # acceptances timed out so far
    escalations_sent: frozenset[str] = frozenset()  # ESCALATION_STEPS already sent
    with_vendor: bool = False                       # a warranty vendor has it: none accepts


@dataclass(frozen=True)
class Deadlines:
    """When each step is due; None: no such clock (not dispatched, no limit) or it is stopped."""
    accept_by: Optional[datetime]
    arrive_by: Optional[datetime]
    complete_by: Optional[datetime]


def deadlines(order: OrderClock, limits: Limits, calendar: Calendar) -> Deadlines:
    """Accept within N minutes of dispatch, arrive and complete counted from the report.

    A vendor does not accept in WeChat, so an order with a vendor has no acceptance clock.
    """
    accepting = None if order.with_vendor else order.dispatched_at
    return Deadlines(
        _after(accepting, limits.accept_minutes, order, calendar),
        _after(order.submitted_at, limits.arrive_minutes, order, calendar),
        _earliest(_after(order.submitted_at, limits.complete_minutes, order, calendar),
                  same_day_due(order, limits, calendar)))


@dataclass(frozen=True)
class ClockState:
    """Where one clock stands: its deadline, when its step was done, and the verdict (STATES)."""
    clock: str
    due: Optional[datetime]
    done_at: Optional[datetime]
    state: str


# Verdicts: done by the deadline, done after it, done with no limit; still open and in time or
# late; never done on an order that is finished or cancelled; no clock at all.
MET, MISSED, DONE, RUNNING, OVERDUE, NOT_DONE, NO_CLOCK = (
    "met", "missed", "done", "running", "overdue", "not_done", "no_clock")


def clock_states(order: OrderClock, limits: Limits, calendar: Calendar,
                 now: datetime) -> tuple[ClockState, ...]:
    """The accept, arrive and complete clocks: met or missed once their step is done, running
    or overdue while it is open, not done on a finished or cancelled order."""
    due = deadlines(order, limits, calendar)
    late = breaches(order, limits, calendar, now)
    states = []
    for clock, by in ((ACCEPT, due.accept_by), (ARRIVE, due.arrive_by),
                      (COMPLETE, due.complete_by)):
        done_at = _done_at(order, clock)
        verdict = _verdict(by, done_at, clock in late, order.status in OPEN_STATES)
        states.append(ClockState(clock, by, done_at, verdict))
    return tuple(states)


def _done_at(order: OrderClock, clock: str) -> Optional[datetime]:
    """When the clock's step was done for the current round (None: not done)."""
    if clock == ARRIVE:
        return order.arrived_at
    if clock == COMPLETE:
        return order.completed_at if order.status in DONE_STATES else None
    accepted = order.accepted_at
    if accepted is None or order.status in (SUBMITTED, DISPATCHED):   # waiting for a dispatch
        return None
    return accepted if order.dispatched_at is None or accepted >= order.dispatched_at else None


def _verdict(due: Optional[datetime], done_at: Optional[datetime], late: bool,
             running: bool) -> str:
    if done_at is not None:
        return DONE if due is None else MET if done_at <= due else MISSED
    if due is None:
        return NO_CLOCK
    if running:
        return OVERDUE if late else RUNNING
    return NOT_DONE


def same_day_due(order: OrderClock, limits: Limits, calendar: Calendar) -> Optional[datetime]:
    """Dispatched before the cutoff on a working day: due that day, later by any suspension."""
    start = order.first_dispatched_at or order.dispatched_at
    if not limits.same_day or start is None or start.time() >= limits.same_day_cutoff \
            or not calendar.is_working_day(start.date()):
        return None
    due = datetime.combine(start.date(), limits.same_day_due)
    budget = calendar.business_time(start, due)
    if calendar.business_time(start, due, order.suspensions) == budget:
        return due   # untouched by a suspension: the wall-clock time, as promised
    return calendar.add_business_time(start, budget, order.suspensions)


def breaches(order: OrderClock, limits: Limits, calendar: Calendar,
             now: datetime) -> tuple[str, ...]:
    """The clocks (ACCEPT, ARRIVE, COMPLETE) run out now on steps not yet done."""
    return tuple(clock for clock, _ in _overdue(order, limits, calendar, now))


def accept_timed_out(order: OrderClock, limits: Limits, calendar: Calendar,
                     now: datetime) -> bool:
    """Dispatched and not accepted within accept_minutes: time to act on the miss."""
    return ACCEPT in breaches(order, limits, calendar, now)


def accept_miss_action(order: OrderClock, limits: Limits) -> str:
    """What a timed-out acceptance leads to: REDISPATCH, or ESCALATE once misses reach the max."""
    return ESCALATE if held_for_desk(order.accept_misses + 1, limits) else REDISPATCH


def held_for_desk(accept_misses: int, limits: Limits) -> bool:
    """Dispatches timed out `max_accept_misses` times: a person dispatches it, not the worker."""
    return accept_misses >= limits.max_accept_misses


def first_breach(order: OrderClock, limits: Limits, calendar: Calendar,
                 now: datetime) -> Optional[datetime]:
    """When the earliest arrive or complete clock overdue now ran out; None if none is."""
    return min((due for clock, due in _overdue(order, limits, calendar, now)
                if clock in LADDER_CLOCKS), default=None)


def next_escalation(order: OrderClock, limits: Limits, calendar: Calendar,
                    now: datetime) -> Optional[str]:
    """The escalation step to send now: the first one not yet sent, once it is due."""
    step = next((s for s in ESCALATION_STEPS if s not in order.escalations_sent), None)
    due = escalation_due(order, limits, calendar, now, step) if step else None
    return step if due is not None and now >= due else None


def escalation_due(order: OrderClock, limits: Limits, calendar: Calendar, now: datetime,
                   step: str) -> Optional[datetime]:
    """When `step` falls due: its offset after the first breach; None while nothing is overdue."""
    first = first_breach(order, limits, calendar, now)
    if first is None:
        return None
    offset = timedelta(minutes=getattr(limits, STEP_OFFSET[step]))
    return calendar.add_business_time(first, offset, order.suspensions)


def suspensions_from(timeline: Iterable[tuple[str, datetime]]) -> tuple[Pause, ...]:
    """(suspended, resumed or None) pairs from an order's (trigger, when) events, oldest first."""
    pauses, since = [], None
    for trigger, when in timeline:
        if trigger == "suspend" and since is None:
            since = when
        elif trigger == "resume" and since is not None:
            pauses.append((since, when))
            since = None
    return tuple(pauses + ([(since, None)] if since is not None else []))


def _overdue(order: OrderClock, limits: Limits, calendar: Calendar,
             now: datetime) -> list[tuple[str, datetime]]:
    """(clock, deadline) of each step still to do whose deadline is before now."""
    if order.status not in OPEN_STATES:
        return []   # finished, closed or cancelled orders are nobody's worry
    due = deadlines(order, limits, calendar)
    pending = [(COMPLETE, due.complete_by)]
    if order.arrived_at is None:
        pending.insert(0, (ARRIVE, due.arrive_by))
    if order.status == DISPATCHED:
        # Only the current dispatch can be late to accept: after a reject or transfer the
        # order waits for the next one, whose dispatched_at restarts the clock.
        pending.insert(0, (ACCEPT, due.accept_by))
    return [(clock, by) for clock, by in pending if by is not None and now > by]


def _after(start: Optional[datetime], minutes: int, order: OrderClock,
           calendar: Calendar) -> Optional[datetime]:
    """`minutes` of business time after `start`, suspensions excluded; None for no clock."""
    if start is None or not minutes:
        return None
    return calendar.add_business_time(start, timedelta(minutes=minutes), order.suspensions)


def _earliest(*times: Optional[datetime]) -> Optional[datetime]:
    return min((t for t in times if t is not None), default=None)
