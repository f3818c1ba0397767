"""The leader's 超时工单: unfinished orders past an SLA deadline now, with business calendars.

SQL cannot walk the calendars, so every running order is checked in Python, but with what its
clocks need read for all of them in two queries (their times, then their suspensions), not
three queries an order: 14,000 running orders took seconds that way.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from models.catalogue import FaultType
from models.orders import OrderEvent, RepairOrder
from models.shifts import ShiftPlan
from models.sla import OrderClock, breaches, suspensions_from
from models.sla_data import RUNNING
from models.sla_limits import limits_for

R = RepairOrder
CLOCK_COLUMNS = (R.id, R.category, R.priority, R.vendor_name, R.engineer, R.submitted_at,
                 R.status, R.dispatched_at, R.first_dispatched_at, R.accepted_at, R.arrived_at,
                 R.completed_at, R.accept_misses)


def overdue_ids(now: datetime, sla: dict, plan: ShiftPlan,
                shortest: timedelta = timedelta(minutes=1)) -> list[int]:
    """The ids of unfinished orders reported at least `shortest` ago with a clock run out at
    `now` (accept, arrive or complete; limits by fault type and priority under [sla]), oldest
    order first."""
    running = R.select(R.id).where(R.status.in_(RUNNING), R.submitted_at <= now - shortest)
    rows = list(R.select(*CLOCK_COLUMNS).where(R.id.in_(running)).order_by(R.id).tuples())
    pauses = _suspensions(running)
    names = dict(FaultType.select(FaultType.id, FaultType.name).tuples())
    rules: dict = {}
    late = []
    for order_id, category, priority, vendor, engineer, *times, misses in rows:
        key = (names.get(category), priority)
        if key not in rules:
            limits = limits_for(key[0], priority, sla)
            rules[key] = (limits, plan.calendar(limits.calendar))
        clock = OrderClock(*times, suspensions=pauses.get(order_id, ()), accept_misses=misses,
                           with_vendor=bool(vendor) and engineer is None)
        if breaches(clock, *rules[key], now):
            late.append(order_id)
    return late


def _suspensions(orders) -> dict[int, tuple]:
    """order id → its pauses, for the orders of the subquery `orders` that have any."""
    E = OrderEvent
    rows = (E.select(E.order, E.trigger, E.created_at)
            .where(E.order.in_(orders), E.trigger.in_(("suspend", "resume")))
            .order_by(E.order, E.created_at, E.id).tuples())
    return {order_id: suspensions_from((trigger, when) for _, trigger, when in events)
            for order_id, events in groupby(rows, key=lambda row: row[0])}


def overdue_orders(now: datetime, sla: dict, plan: ShiftPlan, shown: int) -> tuple[list, int]:
    """The first `shown` overdue orders (whole rows, oldest first) and how many there are."""
    late = overdue_ids(now, sla, plan)
    first = list(R.select().where(R.id.in_(late[:shown])).order_by(R.id)) if late else []
    return first, len(late)
