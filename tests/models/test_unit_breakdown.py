"""The dashboard's breakdown by the reporter's unit, on the hand-built month of
tests/models/test_statistics.py (November 2026 seen on 26 November; 15 minutes to arrive).

Units given with the orders: 计算机学院 O1 O2 O5, 后勤处 O3 O10, none for the other eight.
"""
from datetime import date

from models.dashboard_stats import breakdowns, month_figures, unit_breakdown
from models.orders import RepairOrder
from models.statistics import Limits, month_period
from tests.models.test_dashboard_stats import counts
from tests.models.test_statistics import NOVEMBER, NOW, shop  # noqa: F401  (shop is a fixture)


def give_units(shop):  # noqa: F811
    for unit, labels in (("计算机学院", ("O1", "O2", "O5")), ("后勤处", ("O3", "O10"))):
        ids = [shop[label].id for label in labels]
        RepairOrder.update(reporter_unit=unit).where(RepairOrder.id.in_(ids)).execute()


def test_each_unit_counts_its_orders_by_the_statistics_definitions(shop):  # noqa: F811
    give_units(shop)
    units = unit_breakdown(NOVEMBER, NOW)
    assert [(g.name, g.counters.received) for g in units] == [
        ("", 8), ("计算机学院", 3), ("后勤处", 2)]
    _, computing, logistics = (g.counters for g in units)
    # received completed cancelled open overdue arrived on_time rated rated_high avg_rating
    assert counts(computing) == (3, 3, 0, 0, 0, 3, 2, 3, 2, 4.0)   # O2 arrived after 30 min
    assert counts(logistics) == (2, 2, 0, 0, 0, 1, 0, 0, 0, None)  # O3 never arrived, O10 16 min
    assert (computing.completion_rate, computing.on_time_rate) == (1.0, 2 / 3)
    assert (logistics.on_time_rate, logistics.avg_rating) == (0.0, None)


def test_the_units_add_up_to_the_month(shop):  # noqa: F811
    give_units(shop)
    limits = Limits(arrive_minutes=16, complete_hours=200)
    total, _ = breakdowns(NOVEMBER, NOW, limits)
    units = unit_breakdown(NOVEMBER, NOW, limits)
    summed = [sum(getattr(g.counters, field) for g in units)
              for field in ("received", "completed", "cancelled", "open", "overdue", "arrived",
                            "on_time", "rated", "rated_high")]
    assert summed == list(counts(total)[:9])
    assert [g.counters.on_time for g in units if g.name == "后勤处"] == [1]   # 16 minutes now ok


def test_a_unit_belongs_to_the_order_not_to_the_user_now(shop):  # noqa: F811
    give_units(shop)
    shop["reporter"].unit = "外语学院"
    shop["reporter"].save()
    assert "外语学院" not in [g.name for g in unit_breakdown(NOVEMBER, NOW)]


def test_an_empty_month_and_the_month_figures(shop):  # noqa: F811
    assert unit_breakdown(month_period(date(2026, 12, 1)), NOW) == []
    give_units(shop)
    assert month_figures(NOVEMBER, NOW).units == unit_breakdown(NOVEMBER, NOW)
