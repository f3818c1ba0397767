"""The 超时 list (models/sla_overdue.py) gives what the SLA rules give order by order.

A varied set of running orders, old and recent, suspended and resumed, on the always-open
calendar and on a shift's, urgent and normal, with and without a fault type, dispatched and
waiting; the list and its count must equal sla.breaches applied to each order's clock (what
handlers/leader.py did before), under several [sla] settings.
"""
from datetime import datetime, timedelta
from itertools import count, cycle, product

import pytest

from models.catalogue import Department, FaultType
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.shifts import plan_from_config
from models.sla import breaches
from models.sla_data import order_clock, running_since
from models.sla_limits import limits_for
from models.sla_overdue import overdue_orders

NOW = datetime(2026, 11, 26, 12, 0)
_numbers = count(1)
SETTINGS = {
    "defaults": {},
    "urgent and a type of its own": {"urgent": {"complete_hours": 4, "arrive_minutes": 10},
                                     "types": {"水电": {"complete_hours": 8}}},
    "a type on the day shift": {"types": {"空调": {"calendar": "day", "complete_hours": 20,
                                                  "same_day": False}}},
    "no complete limit": {"complete_hours": 0, "same_day": False},
}


def by_each_order(sla: dict, plan) -> list[int]:
    """The ids the rules give order by order (the old handler's way)."""
    late = []
    for order in running_since(NOW, timedelta(minutes=1)):
        limits = limits_for(order.category.name if order.category_id else None,
                            order.priority, sla)
        if breaches(order_clock(order), limits, plan.calendar(limits.calendar), NOW):
            late.append(order.id)
    return late


@pytest.fixture
def orders(database):
    """Running orders of every shape, and some finished ones that never count."""
    works = Department.create(name="工程部")
    types = [FaultType.create(name=name, department=works) for name in ("水电", "空调", "网络")]
    reporter = User.create(openid="o_overdue_r", name="报修人", created_at=NOW)
    engineer = User.create(openid="o_overdue_e", name="王师傅", created_at=NOW)
    ages = (timedelta(minutes=0.5), timedelta(minutes=12), timedelta(minutes=40),
            timedelta(hours=3), timedelta(hours=9), timedelta(hours=23), timedelta(hours=30),
            timedelta(days=4), timedelta(days=40))
    shapes = ("submitted", "dispatched", "accepted", "arrived", "suspended", "resumed",
              "vendor", "completed", "cancelled")
    priorities = cycle(("normal", "urgent", "normal"))
    for age, shape, kind in product(ages, shapes, [*types, None]):
        make(shape, NOW - age, kind, next(priorities), reporter, engineer)


def make(shape, submitted, kind, priority, reporter, engineer):
    """One order in `shape`, its steps a few minutes apart, suspensions in its timeline."""
    at = [submitted + timedelta(minutes=m) for m in (1, 6, 20, 30, 50)]
    status = {"resumed": "arrived", "vendor": "dispatched"}.get(shape, shape)
    steps = ("dispatched", "accepted", "arrived", "suspended", "resumed", "completed")
    reached = steps.index({"submitted": "dispatched", "vendor": "dispatched"}.get(shape, shape)) \
        if shape != "cancelled" else 0
    order = RepairOrder.create(
        number=f"BX2026{next(_numbers):08d}", reporter=reporter, category=kind,
        location_text="1号楼", description="坏了", phone="13800138000", priority=priority,
        status=status, submitted_at=submitted,
        engineer=None if shape in ("submitted", "vendor", "cancelled") else engineer,
        vendor_name="厂家" if shape == "vendor" else "",
        dispatched_at=at[0] if shape != "submitted" else None,
        accepted_at=at[1] if reached >= 1 and shape != "vendor" else None,
        arrived_at=at[2] if reached >= 2 and shape != "vendor" else None,
        completed_at=at[4] if shape == "completed" else None)
    if shape in ("suspended", "resumed"):
        OrderEvent.create(order=order, trigger="suspend", to_status="suspended", created_at=at[3])
    if shape == "resumed":
        OrderEvent.create(order=order, trigger="resume", to_status="arrived", created_at=at[4])


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_the_list_and_its_count_are_the_rules_order_by_order(orders, setting):
    sla, plan = SETTINGS[setting], plan_from_config(None)
    expected = by_each_order(sla, plan)
    assert expected, "the set should have late orders"
    shown, total = overdue_orders(NOW, sla, plan, 10)
    assert total == len(expected)
    assert [o.id for o in shown] == expected[:10]
    everything, _ = overdue_orders(NOW, sla, plan, 1000)
    assert [o.id for o in everything] == expected
