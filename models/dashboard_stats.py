"""The back office's dashboard figures: today at a glance, a month day by day, ratings.

Pure queries (no Flask, Redis or WeChat) on top of models/statistics.py, whose definitions
(received, completed, 完成率, 及时率 …) they keep:

- new today: orders submitted since today's midnight.
- open: orders in an open state (submitted, dispatched, accepted, arrived, suspended),
  whenever submitted.
- overdue: open orders past the arrive limit without an arrival, or past the complete limit,
  in wall-clock time by fault type (overdue_condition). The same test as the order list's
  "overdue" filter, so the count and the list it links to agree; STATS_OVERDUE in chat walks
  the business calendars order by order, which SQL cannot, and may count fewer.
- unassigned: submitted orders that nobody has been dispatched to (no engineer).
- engineers on duty: active engineers whose shift is open now, plus those on no shift.
- a month by day: each day's Counters (orders per day, 完成率 and 及时率 of the orders
  submitted that day), every day of the period up to today, days without orders included.
- rating distribution: the number of orders submitted in the period rated 1, 2, 3, 4 and 5.
- breakdowns: statistics.breakdown()'s counters per department, fault type and engineer (the
  order's current engineer), all three from one grouped pass over the period, and the
  period's total from the same rows.
- by the reporter's unit: the same counters per the unit the order was reported with
  (reporter_unit: 学院/部门 or 楼栋房号, as given then; "" for none), busiest first.
Days and breakdowns fill in the counts and the average rating only: the time averages cost a
third of each query and the dashboard does not show them (statistics.period_counters has them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import fn

from models.database import alongside
from models.lifecycle import OPEN_STATES, SUBMITTED
from models.people import EngineerProfile
from models.shifts import ShiftPlan
from models.statistics import (GROUPINGS, Counters, Group, Limits, Period, average,
                               day_period)
from models.statistics_sql import (COUNT_ALL, R, counter_columns, names_by_id, overdue_cutoff,
                                   per_type, submitted_between)

SCORES = (1, 2, 3, 4, 5)
# Counters fields that add up across groups; the average rating comes from a sum of ratings.
ADDITIVE = ("received", "completed", "cancelled", "overdue", "arrived", "on_time", "rated",
            "rated_high")


@dataclass(frozen=True)
class Glance:
    """Today at a glance (see the module docstring)."""
    new_today: int
    open: int
    overdue: int
    unassigned: int
    engineers_on_duty: int


@dataclass(frozen=True)
class MonthFigures:
    """Everything the dashboard shows of a month."""
    days: list[tuple[date, Counters]]
    total: Counters
    groups: dict[str, list[Group]]
    ratings: dict[int, int]
    units: list[Group]


def month_figures(period: Period, now: datetime, limits: Limits = Limits()) -> MonthFigures:
    """The month day by day, its breakdowns and its ratings.

    The grouped pass is the longest and needs nothing from the rest, so (as in
    statistics.period_report) a second thread runs it on a connection of its own meanwhile.
    """
    (total, groups), (days, ratings, units) = alongside(
        lambda: breakdowns(period, now, limits),
        lambda: (daily_counters(period, now, limits), rating_distribution(period),
                 unit_breakdown(period, now, limits)))
    return MonthFigures(days, total, groups, ratings, units)


def overdue_condition(now: datetime, limits: Limits):
    """Open and past the arrive limit (not on site yet) or the complete limit, by fault type."""
    arrive_by = per_type({key: now - timedelta(minutes=value)
                          for key, value in limits.arrive_minutes_by_type.items()},
                         now - timedelta(minutes=limits.arrive_minutes))
    late_arrival = R.arrived_at.is_null() & (R.submitted_at < arrive_by)
    late_completion = R.submitted_at < overdue_cutoff(now, limits)
    return R.status.in_(OPEN_STATES) & (late_arrival | late_completion)


def glance(now: datetime, limits: Limits, plan: ShiftPlan) -> Glance:
    """The figures of today at a glance."""
    count = fn.COUNT(COUNT_ALL)
    open_row = (R.select(count.alias("open"),
                         fn.COUNT(COUNT_ALL).filter(overdue_condition(now, limits))
                         .alias("overdue"),
                         fn.COUNT(COUNT_ALL).filter((R.status == SUBMITTED) &
                                                    R.engineer.is_null()).alias("unassigned"))
                .where(R.status.in_(OPEN_STATES)).dicts().get())
    new_today = R.select(count).where(submitted_between(*day_period(now.date()))).scalar()
    return Glance(new_today=int(new_today or 0), open=int(open_row["open"] or 0),
                  overdue=int(open_row["overdue"] or 0),
                  unassigned=int(open_row["unassigned"] or 0),
                  engineers_on_duty=engineers_on_duty(now, plan))


def engineers_on_duty(now: datetime, plan: ShiftPlan) -> int:
    """Active engineers at work now: their shift is open, or they work every shift."""
    rows = (EngineerProfile.select(EngineerProfile.shift, fn.COUNT(COUNT_ALL))
            .where(EngineerProfile.active).group_by(EngineerProfile.shift).tuples())
    return sum(n for shift, n in rows if plan.staff_on_duty(shift, now))


def daily_counters(period: Period, now: datetime,
                   limits: Limits = Limits()) -> list[tuple[date, Counters]]:
    """Each day's counts, rates and average rating, from the period's first day to its last
    or to today if sooner (the time averages left out: they cost a third of the query)."""
    day = fn.date(R.submitted_at).coerce(False)   # not parsed as the column's datetime
    found = {_as_date(row["day"]): _counters(row) for row in
             R.select(day.alias("day"), *_additive_columns(now, limits))
             .where(submitted_between(*period)).group_by(day).dicts()}
    last = min(period.end.date() - timedelta(days=1), now.date())   # none after today
    days = [period.start.date() + timedelta(days=n)
            for n in range((last - period.start.date()).days + 1)]
    return [(d, found.get(d, Counters())) for d in days]


def rating_distribution(period: Period) -> dict[int, int]:
    """Score → number of orders of the period rated so (1 to 5, zeros included)."""
    rows = dict(R.select(R.rating, fn.COUNT(COUNT_ALL))
                .where(submitted_between(*period), R.rating.is_null(False))
                .group_by(R.rating).tuples())
    return {score: int(rows.get(score, 0)) for score in SCORES}


def breakdowns(period: Period, now: datetime,
               limits: Limits = Limits()) -> tuple[Counters, dict[str, list[Group]]]:
    """The period's total and its counters by department, "category" and engineer."""
    keys = [GROUPINGS[by][0] for by in GROUPINGS]
    rows = list(R.select(*keys, *_additive_columns(now, limits))
                .where(submitted_between(*period)).group_by(*keys).dicts())
    total = _counters(_summed(rows, lambda row: None)[None]) if rows else Counters()
    return total, {by: _groups(by, rows) for by in GROUPINGS}


def unit_breakdown(period: Period, now: datetime, limits: Limits = Limits()) -> list[Group]:
    """The counters per reporter's unit (name: the unit, "" for none), busiest first."""
    rows = list(R.select(R.reporter_unit.alias("unit"), *_additive_columns(now, limits))
                .where(submitted_between(*period)).group_by(R.reporter_unit).dicts())
    sums = _summed(rows, lambda row: row["unit"])
    groups = [Group(None, unit, _counters(values)) for unit, values in sums.items()]
    return sorted(groups, key=lambda g: (-g.counters.received, g.name == "", g.name))


def _additive_columns(now: datetime, limits: Limits) -> list:
    """statistics_sql.counter_columns that add up across groups, and the sum of ratings."""
    columns = [c for c in counter_columns(now, limits) if c._alias in ADDITIVE]  # by name
    return columns + [fn.SUM(R.rating).alias("rating_sum")]


def _groups(by: str, rows: list[dict]) -> list[Group]:
    """The rows summed per key of `by`, named, busiest first (as statistics.breakdown)."""
    column, model, name = GROUPINGS[by]
    sums = _summed(rows, lambda row: row[column.name])
    names = names_by_id(model, name, sums)
    groups = [Group(key, names.get(key, ""), _counters(values)) for key, values in sums.items()]
    return sorted(groups, key=lambda g: (-g.counters.received, g.id is None, g.id or 0))


def _summed(rows: list[dict], key) -> dict:
    """The additive columns and the rating sum, summed per key(row)."""
    sums: dict = {}
    for row in rows:
        into = sums.setdefault(key(row), dict.fromkeys(ADDITIVE + ("rating_sum",), 0))
        for name in into:
            into[name] += int(row[name] or 0)
    return sums


def _counters(values: dict) -> Counters:
    """Counters from summed columns; open is what is neither completed nor cancelled."""
    counts = {name: values[name] for name in ADDITIVE}
    return Counters(**counts, open=counts["received"] - counts["completed"] - counts["cancelled"],
                    avg_rating=average(values["rating_sum"] / counts["rated"])
                    if counts["rated"] else None)


def _as_date(value) -> date:
    """SQLite's date() gives text, PostgreSQL's a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value
