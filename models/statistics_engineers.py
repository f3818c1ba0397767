"""Engineer performance (绩效) per period, usually a month, read from the order timeline.

An order's `engineer` is only its current assignee, so who did what comes from OrderEvent rows
whose created_at falls in the period:

- jobs: accept events by the engineer.
- completed: complete events by the engineer; the next three figures are over those orders,
  once per event (an order they complete twice, after a 返修, counts twice).
- 及时率: orders with arrived_at − submitted_at ≤ the fault type's arrive limit ÷ orders with
  an arrival. The order's own times: a job someone else rejected first still counts its whole
  wait, as the reporter saw it.
- average repair time: completed_at − arrived_at (completed_at − accepted_at without an
  arrival), minutes; average rating: over those orders that are rated.
- rejects, transfers: reject and transfer events by the engineer.
- escalations: escalate events (written by the SLA checks, often with no actor) on orders whose
  current engineer is the engineer.

Engineers with none of these in the period are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from peewee import fn

from models.orders import OrderEvent
from models.people import User
from models.statistics import Limits, Period, average, ratio
from models.statistics_sql import (COUNT_ALL, R, arrive_limit, as_time, in_minutes,
                                   names_by_id, unindexed)

E = OrderEvent
COUNTED = {"accept": "jobs", "complete": "completed", "reject": "rejects", "transfer": "transfers"}


@dataclass(frozen=True)
class EngineerStats:
    """One engineer's figures for a period (see the module docstring)."""
    engineer_id: int
    name: str
    jobs: int = 0
    completed: int = 0
    arrived: int = 0          # completed orders with an arrival: 及时率's denominator
    on_time: int = 0
    avg_repair_minutes: Optional[float] = None
    rated: int = 0
    avg_rating: Optional[float] = None
    rejects: int = 0
    transfers: int = 0
    escalations: int = 0

    @property
    def on_time_rate(self) -> Optional[float]:
        """及时率 over the orders they completed."""
        return ratio(self.on_time, self.arrived)


def engineer_performance(period: Period, limits: Limits = Limits()) -> list[EngineerStats]:
    """Every engineer with work in `period`, most jobs first; three queries plus the names."""
    rows: dict[int, dict] = {}
    for query in (_event_counts(period), _completed_orders(period, limits)):
        for row in query:
            rows.setdefault(row.pop("engineer"), {}).update(row)
    for engineer, count in _escalations(period):
        rows.setdefault(engineer, {})["escalations"] = count
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
    return (E.select(R.engineer, fn.COUNT(COUNT_ALL)).join(R, on=(R.id == E.order))
            .where(_in_period(period), E.trigger == "escalate", R.engineer.is_null(False))
            .group_by(R.engineer).tuples())
