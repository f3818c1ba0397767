"""Statistics for leaders: counters, rates, averages, top lists and repeat faults per period.

Pure queries (no Flask, Redis or WeChat); each report is a handful of aggregate queries over a
range of the indexed `submitted_at`, so a month stays fast on millions of orders.

Definitions (README "Statistics" says the same):

- An order belongs to the period in which it was submitted (`submitted_at`, local time, the
  period half-open: start ≤ submitted_at < end). Periods: a day, an ISO week (Monday 00:00 to
  the next Monday), a month.
- received: orders submitted in the period, of every kind and status.
- cancelled: of those, status cancelled.
- completed: of those, status completed, rated or closed (a completion is recorded). A cancelled
  order never counts; an order reopened for 返修 counts as open again until it is completed again.
- open: of those, status submitted, dispatched, accepted, arrived or suspended.
  received = completed + cancelled + open.
- overdue: of the open ones, those past their completion deadline at `now`: submitted_at +
  the fault type's completion limit (Limits). Wall-clock time: suspensions do not stop the clock
  here (pausing is the SLA module's business).
- 完成率 (completion rate): completed ÷ (received − cancelled); None when that is 0.
- 及时率 (on-time rate): orders whose arrived_at − submitted_at ≤ the fault type's arrive limit,
  ÷ orders with an arrival (arrived_at set); None when none arrived.
- average response time: mean of accepted_at − submitted_at over orders with accepted_at;
  average arrival time: mean of arrived_at − submitted_at over orders with arrived_at;
  average repair time: mean of completed_at − arrived_at (completed_at − accepted_at when there
  was no arrival) over completed orders. All in minutes (floats); None without data.
- average rating: mean rating over rated orders; share ≥ 4: rated with rating ≥ 4 ÷ rated.
  Averages are rounded to 4 decimal places.
- top fault types: the N fault types with most orders received (orders without a type left out).
- hot locations: the N places with most orders received; a place is the catalogue location when
  the order names one, else the typed text.
- repeat faults: orders in the period, not cancelled and with a fault type, that have an earlier
  order (not cancelled) of the same type at the same place submitted at most 30 days before.
  The top list counts them per (fault type, place).
- breakdowns: the same counters per department, per fault type, per engineer (the order's
  current engineer).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Mapping, NamedTuple, Optional

from peewee import fn

from models.catalogue import Department, FaultType, Location
from models.lifecycle import CANCELLED
from models.people import User
from models.statistics_sql import (COUNT_ALL, R, counter_columns, names_by_id, place_text,
                                   repeats_earlier, submitted_between)

REPEAT_WINDOW = timedelta(days=30)
AVERAGE_PLACES = 4
GROUPINGS = {"department": (R.department, Department, Department.name),
             "category": (R.category, FaultType, FaultType.name),
             "engineer": (R.engineer, User, User.name)}


class Period(NamedTuple):
    """A half-open span of local time: start ≤ t < end."""
    start: datetime
    end: datetime


def day_period(day: date) -> Period:
    """The calendar day."""
    start = datetime.combine(day, time())
    return Period(start, start + timedelta(days=1))


def week_period(day: date) -> Period:
    """The ISO week (Monday to Sunday) that holds `day`."""
    start = datetime.combine(day - timedelta(days=day.weekday()), time())
    return Period(start, start + timedelta(days=7))


def month_period(day: date) -> Period:
    """The calendar month that holds `day`."""
    start = datetime(day.year, day.month, 1)
    days = calendar.monthrange(day.year, day.month)[1]
    return Period(start, start + timedelta(days=days))


@dataclass(frozen=True)
class Limits:
    """The limits on-time and overdue are measured against; per fault type id, else the default."""
    arrive_minutes: float = 15
    complete_hours: float = 24
    arrive_minutes_by_type: Mapping[int, float] = field(default_factory=dict)
    complete_hours_by_type: Mapping[int, float] = field(default_factory=dict)


def ratio(part: int, whole: int) -> Optional[float]:
    """part ÷ whole, None when whole is 0."""
    return part / whole if whole else None


def average(value) -> Optional[float]:
    """An AVG from the database as a float rounded to 4 places (6 ms for minutes): SQLite's
    day numbers are floats, so an exact 11 minutes would come back as 10.99999995."""
    return None if value is None else round(float(value), AVERAGE_PLACES)


@dataclass(frozen=True)
class Counters:
    """What happened to the orders submitted in a period (see the module docstring)."""
    received: int = 0
    completed: int = 0
    cancelled: int = 0
    open: int = 0
    overdue: int = 0
    arrived: int = 0          # orders with an arrival: 及时率's denominator
    on_time: int = 0          # of those, on site within the arrive limit
    rated: int = 0
    rated_high: int = 0       # rating ≥ 4
    avg_rating: Optional[float] = None
    avg_response_minutes: Optional[float] = None
    avg_arrival_minutes: Optional[float] = None
    avg_repair_minutes: Optional[float] = None

    @property
    def completion_rate(self) -> Optional[float]:
        """完成率: completed ÷ (received − cancelled)."""
        return ratio(self.completed, self.received - self.cancelled)

    @property
    def on_time_rate(self) -> Optional[float]:
        """及时率: on site within the limit ÷ orders with an arrival."""
        return ratio(self.on_time, self.arrived)

    @property
    def high_rating_share(self) -> Optional[float]:
        """Share of ratings of 4 or 5."""
        return ratio(self.rated_high, self.rated)

    @classmethod
    def from_row(cls, row: Mapping) -> "Counters":
        """From a row of counter_columns (PostgreSQL hands averages back as Decimal)."""
        return cls(**{name: average(row[name]) if name.startswith("avg_") else int(row[name] or 0)
                      for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Ranked:
    """One line of a top list: a fault type or a place and its number of orders."""
    id: Optional[int]         # the fault type or location id; None for a typed place
    name: str
    count: int


@dataclass(frozen=True)
class RepeatedFault:
    """A fault type at a place that came back, and how often in the period."""
    category_id: int
    category: str
    location_id: Optional[int]
    location: str
    count: int


@dataclass(frozen=True)
class Repeats:
    """Repeat faults in a period: how many orders repeated an earlier one, and where most."""
    count: int
    top: list[RepeatedFault]


@dataclass(frozen=True)
class PeriodReport:
    """The leader's report for one period."""
    period: Period
    counters: Counters
    top_types: list[Ranked]
    hot_locations: list[Ranked]
    repeats: Repeats


@dataclass(frozen=True)
class Group:
    """One line of a breakdown: a department, fault type or engineer and its counters."""
    id: Optional[int]
    name: str
    counters: Counters


def period_counters(period: Period, now: datetime, limits: Limits = Limits()) -> Counters:
    """The counters, rates and averages of the orders submitted in `period`."""
    row = (R.select(*counter_columns(now, limits)).where(submitted_between(*period))
           .dicts().get())
    return Counters.from_row(row)


def breakdown(period: Period, now: datetime, by: str, limits: Limits = Limits()) -> list[Group]:
    """The counters per department, per fault type ("category") or per engineer, busiest first."""
    column, model, name = GROUPINGS[by]
    rows = list(R.select(column.alias("key"), *counter_columns(now, limits))
                .where(submitted_between(*period)).group_by(column).dicts())
    names = names_by_id(model, name, {row["key"] for row in rows})
    groups = [Group(row["key"], names.get(row["key"], ""), Counters.from_row(row))
              for row in rows]
    return sorted(groups, key=lambda g: (-g.counters.received, g.id is None, g.id or 0))


def top_fault_types(period: Period, limit: int = 5) -> list[Ranked]:
    """The fault types with most orders received in `period`."""
    count = fn.COUNT(COUNT_ALL)
    rows = (R.select(R.category, count).where(submitted_between(*period), R.category.is_null(False))
            .group_by(R.category).order_by(count.desc(), R.category).limit(limit).tuples())
    rows = list(rows)
    names = names_by_id(FaultType, FaultType.name, {type_id for type_id, _ in rows})
    return [Ranked(type_id, names.get(type_id, ""), n) for type_id, n in rows]


def hot_locations(period: Period, limit: int = 5) -> list[Ranked]:
    """The places with most orders received in `period`."""
    count, place = fn.COUNT(COUNT_ALL), place_text()
    rows = list(R.select(R.location, place, count).where(submitted_between(*period))
                .group_by(R.location, place)
                .order_by(count.desc(), R.location.asc(nulls="LAST"), place).limit(limit).tuples())
    names = names_by_id(Location, Location.full_name, {location_id for location_id, _, _ in rows})
    return [Ranked(location_id, names.get(location_id, "") if location_id else text, n)
            for location_id, text, n in rows]


def repeat_faults(period: Period, limit: int = 5, window: timedelta = REPEAT_WINDOW) -> Repeats:
    """Orders in `period` that repeat an earlier fault at the same place within `window`."""
    rows = list(_repeat_query(period, window, limit).tuples())
    types = names_by_id(FaultType, FaultType.name, {row[0] for row in rows})
    places = names_by_id(Location, Location.full_name, {row[1] for row in rows})
    top = [RepeatedFault(type_id, types.get(type_id, ""), location_id,
                         places.get(location_id, "") if location_id else text, n)
           for type_id, location_id, text, n, _ in rows]
    return Repeats(int(rows[0][4]) if rows else 0, top)


def period_report(period: Period, now: datetime, limits: Limits = Limits(),
                  top: int = 5) -> PeriodReport:
    """The leader's report: counters, top fault types, hot locations and repeat faults."""
    return PeriodReport(period, period_counters(period, now, limits),
                        top_fault_types(period, top), hot_locations(period, top),
                        repeat_faults(period, top))


def _repeat_query(period: Period, window: timedelta, limit: int):
    """(type, location id, typed place, repeats, all repeats) of the most repeated pairs.

    Each order of the period looks for its predecessor with one index seek; a window function
    would sort every order of the period and the month before it, several times slower.
    """
    place, count = place_text(), fn.COUNT(COUNT_ALL)
    keys = (R.category, R.location, place)
    return (R.select(*keys, count, fn.SUM(count).over())
            .where(submitted_between(*period), R.status != CANCELLED, R.category.is_null(False),
                   repeats_earlier(window))
            .group_by(*keys)
            .order_by(count.desc(), R.category, R.location.asc(nulls="LAST"), place)
            .limit(limit))
