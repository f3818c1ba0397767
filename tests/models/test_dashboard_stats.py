"""The dashboard's figures on the hand-built month of tests/models/test_statistics.py.

The orders (see that module's table): November 2026 looked at on 26 November; default limits
15 minutes to arrive and 24 hours to complete.
"""
from dataclasses import replace
from datetime import date, datetime

import pytest

from models.dashboard_stats import (breakdowns, daily_counters, engineers_on_duty, glance,
                                    month_figures, rating_distribution)
from models.people import EngineerProfile, User
from models.shifts import plan_from_config
from models.statistics import (Counters, Limits, breakdown, day_period, month_period,
                               period_counters)
from tests.models.test_statistics import NOVEMBER, NOW, at, shop  # noqa: F401  (shop is a fixture)

PLAN = plan_from_config({})          # the day desk 09:00–17:30, the night desk 17:30–09:00
MORNING = at("11-26 11:10")


@pytest.fixture
def rota(shop):  # noqa: F811
    """Engineers on the day shift, the night shift, every shift, and one inactive."""
    for name, shift, active in (("e1", "day", True), ("e2", "night", True), ("e3", "", True),
                                ("e4", "", False), ("e5", "day", True)):
        user = shop.get(name) or User.create(openid=f"o_rota_{name}", name=name, created_at=NOW)
        EngineerProfile.create(user=user, shift=shift, active=active)
    return shop


def test_today_at_a_glance(rota):
    figures = glance(MORNING, Limits(), PLAN)
    assert figures.new_today == 1            # O8, 11:00
    assert figures.open == 6                 # O6 O7 O8 O9 O12 O13, whenever submitted
    # Not on site 15 minutes after the report, or not done within 24 hours: all open ones
    # but O8 (10 minutes old).
    assert figures.overdue == 5
    assert figures.unassigned == 3           # submitted, no engineer: O8 O12 O13
    assert figures.engineers_on_duty == 3    # day shift e1 e5, and e3 on no shift


def test_glance_overdue_follows_the_limits_by_fault_type(rota):
    quick_network = Limits(arrive_minutes_by_type={rota["net"].id: 5})
    assert glance(MORNING, quick_network, PLAN).overdue == 6     # O8 (网络) now late too
    rota["O13"].engineer = rota["e1"]
    rota["O13"].save()
    assert glance(MORNING, Limits(), PLAN).unassigned == 2


def test_engineers_on_duty_follow_the_shift_plan(rota):
    assert engineers_on_duty(at("11-26 20:00"), PLAN) == 2      # night e2, and e3
    assert engineers_on_duty(MORNING, PLAN) == 3
    assert engineers_on_duty(MORNING, plan_from_config({"day": {
        "desk": "前台", "start": "13:00", "end": "17:00"}})) == 1   # only e3 (no shift)


def test_daily_counters_cover_each_day_up_to_today(shop):  # noqa: F811
    days = daily_counters(NOVEMBER, NOW)
    assert [d for d, _ in days] == [date(2026, 11, n) for n in range(1, 27)]
    by_day = dict(days)
    first = by_day[date(2026, 11, 1)]                   # O1 (on time, rated 5), O10 (16 min)
    assert (first.received, first.completed, first.arrived, first.on_time, first.rated) == \
        (2, 2, 2, 1, 1)
    assert (first.completion_rate, first.on_time_rate) == (1.0, 0.5)
    fifth = by_day[date(2026, 11, 5)]                   # O3 (no arrival), O11 (13 min)
    assert (fifth.received, fifth.completed, fifth.on_time_rate) == (2, 2, 1.0)
    tenth = by_day[date(2026, 11, 10)]                  # O4, cancelled
    assert (tenth.received, tenth.cancelled, tenth.completion_rate) == (1, 1, None)
    assert by_day[date(2026, 11, 2)] == Counters()
    assert by_day[date(2026, 11, 26)].open == 1         # O8
    assert sum(c.received for _, c in days) == 13
    for day, counters in days:            # each day is that day's report, bar time averages
        assert counters == without_time_averages(period_counters(day_period(day), NOW)), day


def test_daily_counters_of_other_months(shop):  # noqa: F811
    october = daily_counters(month_period(date(2026, 10, 1)), NOW)
    assert len(october) == 31 and sum(c.received for _, c in october) == 4
    assert daily_counters(month_period(date(2026, 12, 1)), NOW) == []


def test_rating_distribution(shop):  # noqa: F811
    assert rating_distribution(NOVEMBER) == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}   # O11 O2 O5 O1
    assert rating_distribution(month_period(date(2026, 10, 1))) == \
        {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}                                          # A
    assert rating_distribution(month_period(date(2026, 12, 1))) == dict.fromkeys(range(1, 6), 0)


def without_time_averages(c: Counters) -> Counters:
    return replace(c, avg_response_minutes=None, avg_arrival_minutes=None,
                   avg_repair_minutes=None)


def counts(c: Counters) -> tuple:
    return (c.received, c.completed, c.cancelled, c.open, c.overdue, c.arrived, c.on_time,
            c.rated, c.rated_high, c.avg_rating)


def test_breakdowns_by_hand(shop):  # noqa: F811
    total, groups = breakdowns(NOVEMBER, NOW)
    assert total == without_time_averages(period_counters(NOVEMBER, NOW))
    assert [(g.name, g.counters.received) for g in groups["category"]] == \
        [("水电", 5), ("网络", 4), ("空调", 3), ("", 1)]
    water, net, air, untyped = (g.counters for g in groups["category"])
    assert counts(water) == (5, 3, 1, 1, 1, 4, 3, 3, 2, 4.0)   # O1 O2 O4 O5 O12
    assert counts(net) == (4, 2, 0, 2, 1, 2, 0, 0, 0, None)   # O3 O8 O9 O10; O9 overdue
    assert counts(air) == (3, 1, 0, 2, 1, 2, 1, 1, 0, 2.0)    # O6 O7 O11; O6 overdue
    assert counts(untyped) == (1, 0, 0, 1, 1, 0, 0, 0, 0, None)   # O13
    assert [(g.name, g.counters.received) for g in groups["engineer"]] == \
        [("王师傅", 5), ("李师傅", 4), ("", 4)]
    assert counts(groups["engineer"][0].counters) == (5, 4, 0, 1, 0, 4, 3, 4, 2, 3.5)
    assert [(g.name, g.counters.received) for g in groups["department"]] == \
        [("工程部", 8), ("信息中心", 4), ("", 1)]


def test_breakdowns_agree_with_the_statistics_breakdown(shop):  # noqa: F811
    limits = Limits(arrive_minutes=16, complete_hours=200)
    for period in (NOVEMBER, month_period(date(2026, 10, 1))):
        _, groups = breakdowns(period, NOW, limits)
        for by, found in groups.items():
            expected = breakdown(period, NOW, by, limits)
            assert [(g.id, g.name, counts(g.counters)) for g in found] == \
                [(g.id, g.name, counts(g.counters)) for g in expected], by


def test_an_empty_month(shop):  # noqa: F811
    total, groups = breakdowns(month_period(date(2026, 12, 1)), NOW)
    assert total == Counters() and groups == {"department": [], "category": [], "engineer": []}


def test_month_figures_put_the_parts_together(shop):  # noqa: F811
    month = month_figures(NOVEMBER, NOW)
    assert month.days == daily_counters(NOVEMBER, NOW)
    assert (month.total, month.groups) == breakdowns(NOVEMBER, NOW)
    assert month.ratings == rating_distribution(NOVEMBER)
