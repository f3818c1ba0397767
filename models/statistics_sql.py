"""The SQL the statistics share: time arithmetic per database, counters, places.

Everything is an aggregate over a range of `submitted_at`, read from the covering index that
starts with it (RepairOrder.Meta.indexes), so a report returns a few rows, never the orders.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping

from peewee import SQL, Case, fn

from models.database import is_sqlite
from models.lifecycle import CANCELLED, CLOSED, COMPLETED, RATED
from models.orders import RepairOrder

R = RepairOrder
DONE_STATES = (COMPLETED, RATED, CLOSED)
COUNT_ALL = SQL("*")
MINUTES_PER_DAY = 1440
# SQLite's day numbers are floats: "exactly 15 minutes" may come out a hair longer.
SLACK_DAYS = 1e-7   # 9 ms


# Time arithmetic, the one thing that differs: SQLite stores text and subtracts julianday()
# numbers (days); PostgreSQL subtracts timestamps into intervals, which AVG and compare cheaply.

def as_time(column):
    """A stored time in a form that subtracts."""
    return fn.julianday(column) if is_sqlite() else column


def duration(minutes: float):
    """`minutes` in the form a difference of as_time() values takes."""
    return minutes / MINUTES_PER_DAY + SLACK_DAYS if is_sqlite() else timedelta(minutes=minutes)


def in_minutes(difference):
    """A difference of as_time() values (or its AVG) as float minutes."""
    if is_sqlite():
        return difference * MINUTES_PER_DAY
    return fn.date_part("epoch", difference) / 60


def submitted_between(start: datetime, end: datetime):
    """Orders submitted in [start, end): the range every report reads."""
    return (R.submitted_at >= start) & (R.submitted_at < end)


def per_type(values: Mapping[int, object], default):
    """A value chosen by the order's fault type: CASE category_id WHEN … ELSE default END."""
    if not values:
        return default
    return Case(R.category, sorted(values.items()), default)


def unindexed(column):
    """`column` + 0: keeps SQLite from answering a NULL test on it from an index that starts
    with it (the whole index, and a table lookup per entry) when a time range is selective."""
    return column + 0


def arrive_limit(limits):
    """The order's arrive limit (by its fault type) as a duration()."""
    return per_type({key: duration(value) for key, value in limits.arrive_minutes_by_type.items()},
                    duration(limits.arrive_minutes))


def overdue_cutoff(now: datetime, limits):
    """Open orders submitted before this (by fault type) are past their completion deadline."""
    return per_type({key: now - timedelta(hours=value)
                     for key, value in limits.complete_hours_by_type.items()},
                    now - timedelta(hours=limits.complete_hours))


def counter_columns(now: datetime, limits) -> list:
    """Every Counters field but `open` as one aggregate over the selected orders, named after
    the field."""
    done = R.status.in_(DONE_STATES)
    arrival = as_time(R.arrived_at) - as_time(R.submitted_at)
    repair = as_time(R.completed_at) - fn.COALESCE(as_time(R.arrived_at), as_time(R.accepted_at))
    overdue = (R.status.not_in(DONE_STATES + (CANCELLED,)) &
               (R.submitted_at < overdue_cutoff(now, limits)))
    return [
        fn.COUNT(COUNT_ALL).alias("received"),
        fn.COUNT(COUNT_ALL).filter(done).alias("completed"),
        fn.COUNT(COUNT_ALL).filter(R.status == CANCELLED).alias("cancelled"),
        fn.COUNT(COUNT_ALL).filter(overdue).alias("overdue"),
        fn.COUNT(R.arrived_at).alias("arrived"),
        fn.COUNT(COUNT_ALL).filter(arrival <= arrive_limit(limits)).alias("on_time"),
        fn.COUNT(R.rating).alias("rated"),
        fn.COUNT(COUNT_ALL).filter(R.rating >= 4).alias("rated_high"),
        fn.AVG(R.rating).alias("avg_rating"),
        in_minutes(fn.AVG(as_time(R.accepted_at) - as_time(R.submitted_at)))
        .alias("avg_response_minutes"),
        in_minutes(fn.AVG(arrival)).alias("avg_arrival_minutes"),
        in_minutes(fn.AVG(repair).filter(done)).alias("avg_repair_minutes"),
    ]


def shifted_back(column, delta: timedelta):
    """`column` − delta, comparable with stored times (to the second on SQLite, so the
    exact difference is checked as well)."""
    if is_sqlite():
        return fn.datetime(column, f"-{int(delta.total_seconds())} seconds")
    return column - delta


def names_by_id(model, column, ids) -> dict:
    """id → name for the given ids (None and unknown ids left out). The ids go into the SQL
    as numbers (int() makes them safe): 2,000 engineers bound one by one cost 10 ms."""
    wanted = sorted({int(i) for i in ids if i is not None})
    if not wanted:
        return {}
    listed = SQL(f"({', '.join(map(str, wanted))})")
    return dict(model.select(model.id, column).where(model.id.in_(listed)).tuples())
