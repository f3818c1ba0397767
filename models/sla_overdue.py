"""The leader's 超时工单: unfinished orders past an SLA deadline now, with business calendars.

SQL cannot walk the calendars or the suspensions, but most late orders need neither: an order
of a fault type whose limits run on an always-open calendar, never suspended (挂起), is late
for sure once it is older than its complete limit (its complete clock ran out, whatever the
same-day rule says). So the running orders older than the longest such limit are counted from
the status index, less the few that need a closer look (suspended ones, types on a shift's
calendar); those and the recent ones are checked in Python by the SLA rules (sla.breaches),
their clocks read in two queries. Order by order, 14,000 open orders took seconds.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby
from typing import Optional

from peewee import SQL

from models.catalogue import FaultType
from models.database import db
from models.orders import OrderEvent, RepairOrder
from models.shifts import ShiftPlan
from models.sla import OrderClock, breaches, suspensions_from
from models.sla_data import RUNNING
from models.sla_limits import PRIORITIES, limits_for

R, E = RepairOrder, OrderEvent
CLOCK_COLUMNS = (R.id, R.category, R.priority, R.vendor_name, R.engineer, R.submitted_at,
                 R.status, R.dispatched_at, R.first_dispatched_at, R.accepted_at, R.arrived_at,
                 R.completed_at, R.accept_misses)


def overdue_orders(now: datetime, sla: dict, plan: ShiftPlan, shown: int,
                   shortest: timedelta = timedelta(minutes=1)) -> tuple[list, int]:
    """The first `shown` unfinished orders (whole rows, oldest first) reported at least
    `shortest` ago with a clock run out at `now` (accept, arrive or complete; limits by fault
    type and priority under [sla]), and how many there are."""
    rules = _Rules(sla, plan)
    old_before, simple = _horizon(rules, now)
    # Read along the time index (the last day or so of orders, from the index alone) and
    # sifted here: asked for their status in SQL, SQLite walks every running order instead.
    recent_ids = {i for i, status in R.select(R.id, R.status)
                  .where(R.submitted_at >= old_before).tuples() if status in RUNNING}
    closer = _needing_a_look(old_before, [t for t in rules.types() if t not in simple])
    # Apart, and the recent ones by id: an OR, or the clock columns read along the status
    # index, made SQLite sort every running order (40 ms).
    checked = sorted(_late_by_the_rules(closer, rules, now) + _late_by_the_rules(
        R.id.in_(sorted(recent_ids)) & (R.submitted_at <= now - shortest), rules, now))
    running = R.select(R.id).where(R.status.in_(RUNNING))
    surely = running.count() - len(recent_ids) - len(closer_ids := _ids(closer))
    skip = recent_ids | closer_ids
    oldest = [i for i, in running.order_by(R.id).limit(shown + len(skip)).tuples()]
    late = sorted([i for i in oldest if i not in skip][:shown] + checked)[:shown]
    orders = list(R.select().where(R.id.in_(late)).order_by(R.id)) if late else []
    return orders, surely + len(checked)


def _horizon(rules: "_Rules", now: datetime) -> tuple[datetime, list]:
    """Before when a never-suspended running order of a `simple` fault type is late for
    sure, and those types (None: no type): every priority's limits on an always-open
    calendar, with a complete limit. (`now`, []) when no type is simple."""
    longest: dict = {}   # fault type → its longest complete limit; None: not simple
    for (type_id, _), (limits, calendar) in rules.items():
        fits = calendar.always_open and limits.complete_minutes > 0
        known = longest.get(type_id, 0)
        longest[type_id] = max(known, limits.complete_minutes) \
            if fits and known is not None else None
    simple = [type_id for type_id, minutes in longest.items() if minutes]
    if not simple:
        return now, []
    return now - timedelta(minutes=max(longest[t] for t in simple)), simple


def _needing_a_look(old_before: datetime, others: list):
    """Running orders older than the horizon that are not late for sure: ever suspended,
    or of one of the fault types `others` (None: no type) that are not simple."""
    odd = R.id.in_(_ever_suspended())
    named = [t for t in others if t is not None]
    if named:
        odd |= R.category.in_(named)
    if None in others:
        odd |= R.category.is_null()
    return R.status.in_(RUNNING) & (R.submitted_at < old_before) & odd


def _ids(condition) -> set[int]:
    return {i for i, in R.select(R.id).where(condition).tuples()}


class _Rules(dict):
    """(fault type id or None, priority) → (limits, calendar), as handlers/leader.py's SLA
    reads them; every fault type and priority known up front, others resolved when met."""

    def __init__(self, sla: dict, plan: ShiftPlan):
        super().__init__()
        self.sla, self.plan = sla, plan
        self.names = dict(FaultType.select(FaultType.id, FaultType.name).tuples())
        for type_id in [None, *self.names]:
            for priority in PRIORITIES:
                self[(type_id, priority)] = self.__missing__((type_id, priority))

    def types(self) -> set:
        """Every fault type id the rules know, and None."""
        return {type_id for type_id, _ in self}

    def __missing__(self, key):
        limits = limits_for(self.names.get(key[0]), key[1], self.sla)
        self[key] = rule = (limits, self.plan.calendar(limits.calendar))
        return rule


def _ever_suspended():
    """Orders with a 挂起 in their timeline, from the partial index that holds only those
    events (worded as the index is: SQLite uses a partial index only then)."""
    return E.select(E.order).where(E.trigger == SQL("'suspend'"))


def _late_by_the_rules(condition, rules: "_Rules", now: datetime) -> list[int]:
    """The ids of the orders matching `condition` with a clock run out (sla.breaches)."""
    rows = list(db.execute(R.select(*CLOCK_COLUMNS).where(condition).order_by(R.id)))
    pauses = _suspensions([row[0] for row in rows])
    late = []
    for order_id, category, priority, vendor, engineer, submitted, status, *times, misses \
            in rows:
        clock = OrderClock(_time(submitted), status, *map(_time, times),
                           suspensions=pauses.get(order_id, ()), accept_misses=misses,
                           with_vendor=bool(vendor) and engineer is None)
        if breaches(clock, *rules[(category, priority)], now):
            late.append(order_id)
    return late


def _time(value) -> Optional[datetime]:
    """A stored time as a datetime: SQLite gives text (the raw rows skip peewee's slower
    parsing), PostgreSQL a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _suspensions(orders: list[int]) -> dict[int, tuple]:
    """order id → its pauses, for the orders (ids) that have any."""
    if not orders:
        return {}
    rows = (E.select(E.order, E.trigger, E.created_at)
            .where(E.order.in_(orders), E.trigger.in_(("suspend", "resume")))
            .order_by(E.order, E.created_at, E.id).tuples())
    return {order_id: suspensions_from((trigger, when) for _, trigger, when in events)
            for order_id, events in groupby(rows, key=lambda row: row[0])}
