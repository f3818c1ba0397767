"""Statistics for leaders: counters, rates, averages, top lists and repeat faults per period.

Pure queries (no Flask, Redis or WeChat): each report is a few aggregate queries over a range
of `submitted_at`, read from covering indexes, so a month stays fast on millions of orders.
Engineer performance (绩效) is in models/statistics_engineers.py.

Definitions (README "Statistics" says the same):

- An order belongs to the period in which it was submitted (`submitted_at`, local time; the
  period is half-open: start ≤ submitted_at < end). Periods: a day, an ISO week (Monday 00:00
  to the next Monday), a calendar month.
- received: orders submitted in the period, of every kind and status.
- cancelled: of those, status cancelled.
- completed: of those, status completed, rated or closed (a completion is recorded). A
  cancelled order never counts; an order reopened for 返修 is open again until completed again.
- open: of those, neither completed nor cancelled (submitted, dispatched, accepted, arrived,
  suspended). received = completed + cancelled + open.
- overdue: of the open ones, those past their completion deadline at `now`: submitted_at + the
  fault type's complete limit (Limits.complete_hours, per type or the default). Wall-clock
  time: suspensions do not stop this clock (pausing is the SLA module's business).
- 完成率 (completion rate) = completed ÷ (received − cancelled); None when that is 0.
- 及时率 (on-time rate) = orders with arrived_at − submitted_at ≤ the fault type's arrive limit
  (Limits.arrive_minutes) ÷ orders with an arrival (arrived_at set); None when none arrived.
- average response time: mean of accepted_at − submitted_at over orders with accepted_at;
  average arrival time: mean of arrived_at − submitted_at over orders with arrived_at;
  average repair time: mean of completed_at − arrived_at (completed_at − accepted_at without
  an arrival) over completed orders. Minutes as floats; None without data.
- average rating: mean rating over rated orders; share ≥ 4 (好评率): ratings of 4 or 5 ÷ rated
  orders. Averages are rounded to 4 decimal places.
- top fault types: the N fault types with most orders received (orders without a type are left
  out). hot locations: the N places with most orders received; a place is the catalogue
  location when the order names one, else its typed text (so a typed "3号楼201" and the
  catalogue room are different places). Ties: catalogue places first, then by id or text.
- repeat faults: orders of the period, not cancelled and with a fault type, for which an
  earlier order (submitted strictly before, not cancelled) of the same type at the same place
  was submitted at most 30 days before. The top list counts them per (fault type, place).
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
from models.database import alongside
from models.people import User
from models.repeats import REPEAT_WINDOW, repeated_orders
from models.statistics_sql import (COUNT_ALL, R, counter_columns, names_by_id,
                                   submitted_between, unindexed)

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
        """From a row of counter_columns; open is what is neither completed nor cancelled."""
        values = {name: average(row[name]) if name.startswith("avg_") else int(row[name] or 0)
                  for name in cls.__dataclass_fields__ if name != "open"}
        values["open"] = values["received"] - values["completed"] - values["cancelled"]
        return cls(**values)


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
    """The leader's report for one period (repeats: the count only)."""
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
    return Counters.from_row(R.select(*counter_columns(now, limits))
                             .where(submitted_between(*period)).dicts().get())


def breakdown(period: Period, now: datetime, by: str, limits: Limits = Limits()) -> list[Group]:
    """The counters per department, per fault type ("category") or per engineer, busiest first."""
    column, model, name = GROUPINGS[by]
    found = list(R.select(column.alias("key"), *counter_columns(now, limits))
                 .where(submitted_between(*period)).group_by(column).dicts())
    names = names_by_id(model, name, {row["key"] for row in found})
    groups = [Group(row["key"], names.get(row["key"], ""), Counters.from_row(row))
              for row in found]
    return sorted(groups, key=lambda g: (-g.counters.received, g.id is None, g.id or 0))


def top_fault_types(period: Period, limit: int = 5) -> list[Ranked]:
    """The fault types with most orders received in `period`."""
    count = fn.COUNT(COUNT_ALL)
    rows = list(R.select(R.category, count)
                .where(submitted_between(*period), R.category.is_null(False))
                .group_by(R.category).order_by(count.desc(), R.category).limit(limit).tuples())
    names = names_by_id(FaultType, FaultType.name, {type_id for type_id, _ in rows})
    return [Ranked(type_id, names.get(type_id, ""), n) for type_id, n in rows]


def hot_locations(period: Period, limit: int = 5) -> list[Ranked]:
    """The places with most orders received in `period`: the top catalogue places and the
    top typed ones (two small sorts instead of one big one), merged."""
    count = fn.COUNT(COUNT_ALL)
    places = list(R.select(R.location, count)
                  .where(submitted_between(*period), unindexed(R.location).is_null(False))
                  .group_by(R.location).order_by(count.desc(), R.location).limit(limit).tuples())
    typed = list(R.select(R.location_text, count)
                 .where(submitted_between(*period), unindexed(R.location).is_null())
                 .group_by(R.location_text).order_by(count.desc(), R.location_text)
                 .limit(limit).tuples())
    names = names_by_id(Location, Location.full_name, {location_id for location_id, _ in places})
    ranked = [Ranked(location_id, names.get(location_id, ""), n) for location_id, n in places]
    ranked += [Ranked(None, text, n) for text, n in typed]
    # A stable sort keeps catalogue places ahead of typed ones with as many orders.
    return sorted(ranked, key=lambda place: -place.count)[:limit]


def repeat_faults(period: Period, limit: int = 5, window: timedelta = REPEAT_WINDOW) -> Repeats:
    """Orders in `period` that repeat an earlier fault at the same place within `window`, and
    the `limit` (fault type, place) pairs with most; limit 0 counts only (no grouping)."""
    found = repeated_orders(*period, window)
    count = fn.COUNT(COUNT_ALL)
    if limit == 0:
        return Repeats(R.select(count).from_(found).scalar(), [])
    keys = (found.c.category_id, found.c.location_id, found.c.place)
    rows = list(R.select(*keys, count, fn.SUM(count).over()).from_(found).group_by(*keys)
                .order_by(count.desc(), keys[0], keys[1].asc(nulls="LAST"), keys[2])
                .limit(limit).tuples())
    types = names_by_id(FaultType, FaultType.name, {row[0] for row in rows})
    places = names_by_id(Location, Location.full_name, {row[1] for row in rows})
    top = [RepeatedFault(type_id, types.get(type_id, ""), location_id,
                         places.get(location_id, "") if location_id else text, n)
           for type_id, location_id, text, n, _ in rows]
    return Repeats(int(rows[0][4]) if rows else 0, top)


def period_report(period: Period, now: datetime, limits: Limits = Limits(),
                  top: int = 5) -> PeriodReport:
    """The leader's report: counters, top fault types, hot locations and the repeat count
    (its top list stays empty here: repeat_faults() says where, at the cost of a grouping).

    The repeat search is half the work and needs nothing from the rest, so a second thread
    runs it on a connection of its own meanwhile (it reads what is committed): the database
    works on two cores and the report takes as long as the slower half.
    """
    repeats, (counters, types, places) = alongside(
        lambda: repeat_faults(period, 0),
        lambda: (period_counters(period, now, limits), top_fault_types(period, top),
                 hot_locations(period, top)))
    return PeriodReport(period, counters, types, places, repeats)
