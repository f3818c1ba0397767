"""Repeat faults kept on the orders: the marks give what seeking gives, batch by batch, and a
cancellation sends the orders it made repeats back to be asked again."""
from datetime import date

from models.orders import RepairOrder
from models.repeats import mark_all_repeats, mark_repeats, repeated_orders
from models.statistics import month_period, period_report, repeat_faults
from models.workflow import fire
from tests.models.test_statistics import NOVEMBER, NOW, at, make_order, shop  # noqa: F401

DECEMBER = month_period(date(2026, 12, 1))


def marks() -> dict:
    return {o.id: o.repeat_fault for o in RepairOrder.select(RepairOrder.id,
                                                              RepairOrder.repeat_fault)}


def test_marked_orders_give_what_seeking_gave(shop):
    sought = repeat_faults(NOVEMBER)
    assert set(marks().values()) == {None}
    assert mark_all_repeats() == RepairOrder.select().count()
    assert None not in marks().values()
    assert repeat_faults(NOVEMBER) == sought and sought.count == 6
    assert period_report(NOVEMBER, NOW).repeats.count == 6
    assert len(list(repeated_orders(*NOVEMBER).tuples())) == 6   # one row per repeat


def test_marks_come_in_batches_oldest_first_and_half_marked_counts_alike(shop):
    sought = repeat_faults(NOVEMBER)
    assert mark_repeats(limit=5) == 5
    oldest = [o.id for o in RepairOrder.select().order_by(RepairOrder.submitted_at).limit(5)]
    assert all(marks()[order_id] is not None for order_id in oldest)
    assert repeat_faults(NOVEMBER) == sought          # part marked, part sought: the same
    assert mark_all_repeats() == RepairOrder.select().count() - 5
    assert mark_repeats() == 0


def test_cancelling_the_earlier_order_unmarks_the_repeat_it_made(shop):
    water, l2 = shop["water"], shop["l2"]
    first = make_order(shop, at("12-01 09:00"), water, l2, "submitted", None, None, None, None,
                       None)
    second = make_order(shop, at("12-05 09:00"), water, l2, "completed", shop["e1"], 1, 2, 3,
                        None)
    mark_all_repeats()
    assert marks()[second.id] is True and repeat_faults(DECEMBER).count == 1
    fire(RepairOrder.get_by_id(first.id), "cancel", shop["reporter"], at("12-06 09:00"))
    assert marks()[second.id] is None                 # asked again, not left a repeat
    assert repeat_faults(DECEMBER).count == 0
    mark_all_repeats()
    assert marks()[second.id] is False and repeat_faults(DECEMBER).count == 0
