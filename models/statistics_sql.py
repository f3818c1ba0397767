"""The SQL the statistics share: elapsed minutes on each database, counter columns, places.

Everything is an aggregate over a range of `submitted_at`, so each report reads one stretch of
the (submitted_at, …) covering index and hands back a few rows, never the orders themselves.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping

from peewee import SQL, Case, fn

from models.database import is_sqlite
from models.lifecycle import CANCELLED, CLOSED, COMPLETED, OPEN_STATES, RATED
from models.orders import RepairOrder

R = RepairOrder
DONE_STATES = (COMPLETED, RATED, CLOSED)
MINUTES_PER_DAY = 1440
# SQLite measures time as a floating-point day number: "exactly 15 minutes" may come out a
# hair above 15, so limits get a few milliseconds of slack.
SLACK_MINUTES = 1e-4
COUNT_ALL = SQL("*")


def minutes_between(later, earlier):
    """Minutes from `earlier` to `later` as a float expression; NULL when either is NULL."""
    if is_sqlite():  # datetimes are stored as text there
        return (fn.julianday(later) - fn.julianday(earlier)) * MINUTES_PER_DAY
    return fn.date_part("epoch", later - earlier) / 60  # a float, unlike EXTRACT's numeric


def submitted_between(start: datetime, end: datetime):
    """Orders submitted in [start, end): the range every report reads."""
    return (R.submitted_at >= start) & (R.submitted_at < end)


def per_type(values: Mapping[int, object], default):
    """A value chosen by the order's fault type: CASE category_id WHEN … ELSE default END."""
    if not values:
        return default
    return Case(R.category, sorted(values.items()), default)


def place_text():
    """The free-text place of an order that names no catalogue location (else NULL)."""
    return Case(None, [(R.location.is_null(), R.location_text)], None)


def overdue_cutoff(now: datetime, limits):
    """Orders submitted before this (per fault type) have passed their completion deadline."""
    cutoffs = {type_id: now - timedelta(hours=hours)
               for type_id, hours in limits.complete_hours_by_type.items()}
    return per_type(cutoffs, now - timedelta(hours=limits.complete_hours))


def arrive_limit(limits):
    """The arrive limit in minutes (per fault type), with SQLite's slack."""
    minutes = {type_id: value + SLACK_MINUTES
               for type_id, value in limits.arrive_minutes_by_type.items()}
    return per_type(minutes, limits.arrive_minutes + SLACK_MINUTES)


def shifted_back(column, delta: timedelta):
    """`column` − delta, comparable with stored times (SQLite's text drops the fraction)."""
    if is_sqlite():
        return fn.datetime(column, f"-{int(delta.total_seconds())} seconds")
    return column - delta


def repeats_earlier(window: timedelta):
    """Whether an order (not cancelled) of the same type at the same place came in `window`
    before this one: one seek in the (location, category, submitted_at) index for a catalogue
    place, in the (location_text, category, submitted_at) index for a typed one."""
    earlier = R.alias("earlier")

    def seek(*same_place):
        return fn.EXISTS(earlier.select(SQL("1")).where(
            *same_place, earlier.category == R.category, earlier.status != CANCELLED,
            earlier.submitted_at >= shifted_back(R.submitted_at, window),
            earlier.submitted_at < R.submitted_at,
            minutes_between(R.submitted_at, earlier.submitted_at)
            <= window.total_seconds() / 60 + SLACK_MINUTES))
    return Case(None, [(R.location.is_null(False), seek(earlier.location == R.location))],
                seek(earlier.location.is_null(), earlier.location_text == R.location_text))


def counter_columns(now: datetime, limits) -> list:
    """Every Counters field as one aggregate over the selected orders, named after the field."""
    done = R.status.in_(DONE_STATES)
    still_open = R.status.in_(OPEN_STATES)
    arrival = minutes_between(R.arrived_at, R.submitted_at)
    repair = minutes_between(R.completed_at, fn.COALESCE(R.arrived_at, R.accepted_at))
    return [
        fn.COUNT(COUNT_ALL).alias("received"),
        fn.COUNT(COUNT_ALL).filter(done).alias("completed"),
        fn.COUNT(COUNT_ALL).filter(R.status == CANCELLED).alias("cancelled"),
        fn.COUNT(COUNT_ALL).filter(still_open).alias("open"),
        fn.COUNT(COUNT_ALL).filter(still_open & (R.submitted_at < overdue_cutoff(now, limits)))
        .alias("overdue"),
        fn.COUNT(R.arrived_at).alias("arrived"),
        fn.COUNT(COUNT_ALL).filter(arrival <= arrive_limit(limits)).alias("on_time"),
        fn.COUNT(R.rating).alias("rated"),
        fn.COUNT(COUNT_ALL).filter(R.rating >= 4).alias("rated_high"),
        fn.AVG(R.rating).alias("avg_rating"),
        fn.AVG(minutes_between(R.accepted_at, R.submitted_at)).alias("avg_response_minutes"),
        fn.AVG(arrival).alias("avg_arrival_minutes"),
        fn.AVG(repair).filter(done).alias("avg_repair_minutes"),
    ]


def names_by_id(model, column, ids) -> dict:
    """id → name for the given ids (None and unknown ids left out)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(model.select(model.id, column).where(model.id.in_(wanted)).tuples())
