"""Engineer performance (绩效) per period, usually a month, read from the order timeline.

An order's `engineer` is only its current assignee, so who did what comes from OrderEvent rows
whose created_at falls in the period:

- jobs: accept events by the engineer.
- completed: complete events by the engineer; the next three figures are over those orders.
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

from peewee import JOIN, fn

from models.orders import OrderEvent
from models.people import User
from models.statistics import Limits, Period, average, ratio
from models.statistics_sql import COUNT_ALL, R, arrive_limit, minutes_between, names_by_id

E = OrderEvent
ACTOR_TRIGGERS = ("accept", "complete", "reject", "transfer")


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
    """Every engineer with work in `period`, most jobs first; two queries plus the names."""
    rows = {row["engineer"]: row for row in _actor_rows(period, limits)}
    escalations = dict(_escalation_rows(period))
    names = names_by_id(User, User.name, set(rows) | set(escalations))
    stats = [_stats(engineer, names.get(engineer, ""), rows.get(engineer, {}),
                    escalations.get(engineer, 0))
             for engineer in set(rows) | set(escalations)]
    return sorted(stats, key=lambda s: (-s.jobs, -s.completed, s.engineer_id))


def _stats(engineer: int, name: str, row: dict, escalations: int) -> EngineerStats:
    """One EngineerStats from its aggregate row (absent: nothing but escalations)."""
    values = {field: average(value) if field.startswith("avg_") else int(value or 0)
              for field, value in row.items() if field != "engineer"}
    return EngineerStats(engineer, name, **values, escalations=escalations)


def _actor_rows(period: Period, limits: Limits):
    """Per actor: events counted by trigger, and the quality of the orders they completed.

    The order is joined to complete events only, so its times and rating count once per
    completion and never for an accept or a reject.
    """
    done = E.trigger == "complete"
    arrival = minutes_between(R.arrived_at, R.submitted_at)
    repair = minutes_between(R.completed_at, fn.COALESCE(R.arrived_at, R.accepted_at))
    return (E.select(E.actor.alias("engineer"),
                     fn.COUNT(COUNT_ALL).filter(E.trigger == "accept").alias("jobs"),
                     fn.COUNT(COUNT_ALL).filter(done).alias("completed"),
                     fn.COUNT(R.arrived_at).alias("arrived"),
                     fn.COUNT(COUNT_ALL).filter(arrival <= arrive_limit(limits)).alias("on_time"),
                     fn.AVG(repair).alias("avg_repair_minutes"),
                     fn.COUNT(R.rating).alias("rated"),
                     fn.AVG(R.rating).alias("avg_rating"),
                     fn.COUNT(COUNT_ALL).filter(E.trigger == "reject").alias("rejects"),
                     fn.COUNT(COUNT_ALL).filter(E.trigger == "transfer").alias("transfers"))
            .join(R, JOIN.LEFT_OUTER, on=(R.id == E.order) & done)
            .where(E.created_at >= period.start, E.created_at < period.end,
                   E.trigger.in_(ACTOR_TRIGGERS), E.actor.is_null(False))
            .group_by(E.actor).dicts())


def _escalation_rows(period: Period):
    """(engineer, escalations) for the orders each engineer holds now."""
    return (E.select(R.engineer, fn.COUNT(COUNT_ALL)).join(R, on=(R.id == E.order))
            .where(E.created_at >= period.start, E.created_at < period.end,
                   E.trigger == "escalate", R.engineer.is_null(False))
            .group_by(R.engineer).tuples())
