"""Engineer performance (绩效) per period, usually a month, read from the job facts.

An order's `engineer` is only its current assignee, so who did what comes from the timeline:
the job facts (models/job_facts.py), one small row per accept, complete, reject, transfer and
escalate event, written with the event. A fact counts in the period its event's time falls in:

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
  current engineer is the engineer: one per step of the ladder (reminder, supervisor,
  leader), so an order that ran late counts up to three times.
- overdue (超时, what leaders read): the orders behind those escalations, each once.

Engineers with none of these in the period are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from peewee import Case, fn

from models.database import db
from models.job_facts import COMPLETE, ESCALATE, JobFact, month_of
from models.people import User
from models.statistics import Limits, Period, average, ratio
from models.statistics_sql import COUNT_ALL, R, names_by_id

F = JobFact
COUNTED = {"accept": "jobs", COMPLETE: "completed", "reject": "rejects", "transfer": "transfers"}
COMPLETION_FIELDS = ("arrived", "on_time", "avg_repair_minutes", "rated", "avg_rating")
AVERAGES = ("avg_repair_minutes", "avg_rating")
SLACK_SECONDS = 0.001   # times from SQLite's day numbers are rounded to the millisecond


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
    overdue: int = 0          # orders escalated: 超时

    @property
    def on_time_rate(self) -> Optional[float]:
        """及时率 over the orders they completed."""
        return ratio(self.on_time, self.arrived)


def engineer_performance(period: Period, limits: Limits = Limits()) -> list[EngineerStats]:
    """Every engineer with work in `period`, most jobs first; three queries plus the names.
    Rows are read raw: for 2,000 engineers peewee's row handling was a good share of the time."""
    rows: dict[int, dict] = {}
    for engineer, step, n in db.execute(_step_counts(period)):
        rows.setdefault(engineer, {})[COUNTED[step]] = n
    for engineer, *figures in db.execute(_completions(period, limits)):
        rows.setdefault(engineer, {}).update(zip(COMPLETION_FIELDS, figures))
    for engineer, steps, orders in db.execute(_escalations(period)):
        rows.setdefault(engineer, {}).update(escalations=steps, overdue=orders)
    names = names_by_id(User, User.name, rows)
    stats = [EngineerStats(engineer, names.get(engineer, ""), **_values(row))
             for engineer, row in rows.items()]
    return sorted(stats, key=lambda s: (-s.jobs, -s.completed, s.engineer_id))


def _values(row: dict) -> dict:
    """Aggregates as EngineerStats fields: averages rounded, counts as int."""
    return {field: average(value) if field in AVERAGES else int(value or 0)
            for field, value in row.items()}


def _in_period(period: Period):
    """Facts of events written in the period, found by their months: the index gives one
    month's in engineer order, and whole months need no test of each fact's time."""
    first, last = month_of(period.start), month_of(period.end - timedelta(microseconds=1))
    months = (F.month == first) if first == last else F.month.between(first, last)
    whole = period.start == datetime(period.start.year, period.start.month, 1) and \
        period.end == datetime(period.end.year, period.end.month, 1)
    return months if whole else months & (F.at >= period.start) & (F.at < period.end)


def _arrive_limit_seconds(limits: Limits):
    """The arrive limit of the fact's fault type, in seconds (with SLACK_SECONDS)."""
    default = limits.arrive_minutes * 60 + SLACK_SECONDS
    by_type = sorted((key, minutes * 60 + SLACK_SECONDS)
                     for key, minutes in limits.arrive_minutes_by_type.items())
    return Case(F.category_id, by_type, default) if by_type else default


def _step_counts(period: Period):
    """(actor, step, events) of the steps counted per actor. One aggregate a fact: a month's
    70,000 cost a third of what all the figures of each fact did."""
    return (F.select(F.engineer_id, F.step, fn.COUNT(COUNT_ALL))
            .where(_in_period(period), F.step.in_(tuple(COUNTED)))
            .group_by(F.engineer_id, F.step))


def _completions(period: Period, limits: Limits):
    """Per actor of a completion: COMPLETION_FIELDS (arrivals, on-time ones, repair time,
    ratings)."""
    on_time = F.arrival_seconds <= _arrive_limit_seconds(limits)
    return (F.select(F.engineer_id, fn.COUNT(F.arrival_seconds),
                     fn.COUNT(COUNT_ALL).filter(on_time),
                     fn.AVG(F.repair_seconds) / 60, fn.COUNT(F.rating), fn.AVG(F.rating))
            .where(_in_period(period), F.step == COMPLETE)
            .group_by(F.engineer_id))


def _escalations(period: Period):
    """(engineer, escalate events, orders escalated) for the orders each engineer holds now."""
    return (F.select(R.engineer, fn.COUNT(COUNT_ALL), fn.COUNT(F.order_id.distinct()))
            .join(R, on=(R.id == F.order_id))
            .where(_in_period(period), F.step == ESCALATE, R.engineer.is_null(False))
            .group_by(R.engineer))
