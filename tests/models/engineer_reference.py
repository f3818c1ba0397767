"""Engineer performance read straight from the timeline and the orders (the query the job
facts replaced), for the consistency test: the facts must give exactly this.

The same definitions as models/statistics_engineers.py, plus `overdue` (orders escalated).
"""
from __future__ import annotations

from peewee import fn

from models.orders import OrderEvent
from models.people import User
from models.statistics import Limits, Period, average
from models.statistics_engineers import EngineerStats
from models.statistics_sql import (COUNT_ALL, R, arrive_limit, as_time, in_minutes,
                                   names_by_id, unindexed)

E = OrderEvent
COUNTED = {"accept": "jobs", "complete": "completed", "reject": "rejects", "transfer": "transfers"}


def engineer_performance_from_events(period: Period,
                                     limits: Limits = Limits()) -> list[EngineerStats]:
    """Every engineer with work in `period`, most jobs first, from events and orders."""
    rows: dict[int, dict] = {}
    for query in (_event_counts(period), _completed_orders(period, limits)):
        for row in query:
            rows.setdefault(row.pop("engineer"), {}).update(row)
    for engineer, count, orders in _escalations(period):
        rows.setdefault(engineer, {}).update(escalations=count, overdue=orders)
    names = names_by_id(User, User.name, rows)
    stats = [EngineerStats(engineer, names.get(engineer, ""), **_values(row))
             for engineer, row in rows.items()]
    return sorted(stats, key=lambda s: (-s.jobs, -s.completed, s.engineer_id))


def _values(row: dict) -> dict:
    """Aggregates as EngineerStats fields: averages rounded, counts as int."""
    return {field: average(value) if field.startswith("avg_") else int(value or 0)
            for field, value in row.items()}


def _in_period(period: Period):
    """Events written in the period."""
    return (E.created_at >= period.start) & (E.created_at < period.end)


def _event_counts(period: Period):
    """Per actor: accept, complete, reject and transfer events."""
    actor = unindexed(E.actor)   # else SQLite reads every event through the actor index
    return (E.select(actor.alias("engineer"),
                     *[fn.COUNT(COUNT_ALL).filter(E.trigger == trigger).alias(field)
                       for trigger, field in COUNTED.items()])
            .where(_in_period(period), E.trigger.in_(tuple(COUNTED)), actor.is_null(False))
            .group_by(actor).dicts())


def _completed_orders(period: Period, limits: Limits):
    """Per actor of a complete event: the times and rating of that order (once per event)."""
    arrival = as_time(R.arrived_at) - as_time(R.submitted_at)
    repair = as_time(R.completed_at) - fn.COALESCE(as_time(R.arrived_at), as_time(R.accepted_at))
    actor = unindexed(E.actor)
    return (E.select(actor.alias("engineer"),
                     fn.COUNT(R.arrived_at).alias("arrived"),
                     fn.COUNT(COUNT_ALL).filter(arrival <= arrive_limit(limits)).alias("on_time"),
                     in_minutes(fn.AVG(repair)).alias("avg_repair_minutes"),
                     fn.COUNT(R.rating).alias("rated"),
                     fn.AVG(R.rating).alias("avg_rating"))
            .join(R, on=(R.id == E.order))
            .where(_in_period(period), E.trigger == "complete", actor.is_null(False))
            .group_by(actor).dicts())


def _escalations(period: Period):
    """(engineer, escalate events) for the orders each engineer holds now."""
    return (E.select(R.engineer, fn.COUNT(COUNT_ALL), fn.COUNT(E.order.distinct()))
            .join(R, on=(R.id == E.order))
            .where(_in_period(period), E.trigger == "escalate", R.engineer.is_null(False))
            .group_by(R.engineer).tuples())
