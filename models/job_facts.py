"""Job facts: one small row per step an engineer's 绩效 counts, written with the step itself.

Engineer performance (models/statistics_engineers.py) used to read the whole timeline and join
each completion to its order: 0.6–1 s a month on a million orders. A fact row holds what that
report needs of one accept, complete, reject, transfer or escalate event (its time, who, and
for a completion the order's arrival and repair times, fault type and rating), so a month is
one stretch of a covering index. Facts are written in the transaction of the event they mirror
(workflow.fire and record_event, the paths every step takes: chat, back office, vendor and
paper completions, rework), never at 确认 (a submission is not a fact).

A fact mirrors what the timeline-and-order query read, so both give the same figures:

- a completion carries the order's times as they are when it completes; when a reopened order
  (返修) completes again, its earlier completions take the new times too, and a rating given
  later (评价) is written into every completion of the order;
- an escalation names no engineer: the report joins the order for its current one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from peewee import (SQL, Case, CharField, DateTimeField, FloatField, ForeignKeyField,
                    IntegerField, fn)

from models.database import BaseModel, db, is_sqlite
from models.orders import OrderEvent, RepairOrder

ENGINEER_STEPS = ("accept", "reject", "transfer")    # counted per actor
COMPLETE, ESCALATE, RATE = "complete", "escalate", "rate"
STEPS = ENGINEER_STEPS + (COMPLETE, ESCALATE)


class JobFact(BaseModel):
    """What engineer performance needs of one timeline event; its key is the event's."""
    event = ForeignKeyField(OrderEvent, primary_key=True, on_delete="CASCADE")
    order_id = IntegerField()                  # the escalation's order: its current engineer
    step = CharField(max_length=16)            # the event's trigger, one of STEPS
    at = DateTimeField()                       # the event's time: the period it falls in
    month = IntegerField()                     # at's month as YYYYMM (see the index)
    engineer_id = IntegerField(null=True)      # the actor; None for an escalation
    category_id = IntegerField(null=True)      # the order's fault type: its arrive limit
    arrival_seconds = FloatField(null=True)    # completions: arrived_at − submitted_at
    repair_seconds = FloatField(null=True)     # completed_at − (arrived_at or accepted_at)
    rating = IntegerField(null=True)           # completions: the order's rating, once rated

    class Meta:
        table_name = "job_fact"
        # A month's facts are read from this index alone (never from the table), in engineer
        # order: grouped per engineer as they come, where SQLite would sort 70,000 rows.
        indexes = ((("month", "engineer_id", "step", "category_id", "arrival_seconds",
                     "repair_seconds", "rating", "at", "order_id"), False),)


def month_of(moment: datetime) -> int:
    """The month as YYYYMM."""
    return moment.year * 100 + moment.month


def _seconds(later: Optional[datetime], earlier: Optional[datetime]) -> Optional[float]:
    return None if later is None or earlier is None else (later - earlier).total_seconds()


def _times(order: RepairOrder) -> dict:
    """A completion's figures, from the order as it stands."""
    return {"category_id": order.category_id, "rating": order.rating,
            "arrival_seconds": _seconds(order.arrived_at, order.submitted_at),
            "repair_seconds": _seconds(order.completed_at, order.arrived_at or order.accepted_at)}


def _completions(order: RepairOrder):
    """The ids of the order's complete events (through the events' order index)."""
    return OrderEvent.select(OrderEvent.id).where(OrderEvent.order == order.id,
                                                  OrderEvent.trigger == COMPLETE)


def record_fact(order: RepairOrder, event_id: int, trigger: str, actor_id: Optional[int],
                now: datetime, completed_before: bool = False) -> None:
    """The fact of an event just written for `order` (after its change); the caller's
    transaction. `completed_before`: the order had a completion already (a 返修 done again)."""
    if trigger == RATE:
        JobFact.update(rating=order.rating).where(JobFact.event.in_(_completions(order))).execute()
        return
    if trigger not in STEPS or (actor_id is None and trigger != ESCALATE):
        return
    values = {}
    if trigger == COMPLETE:
        values = _times(order)
        if completed_before:
            JobFact.update(values).where(JobFact.event.in_(_completions(order))).execute()
    JobFact.insert(event=event_id, order_id=order.id, step=trigger, at=now, month=month_of(now),
                   engineer_id=None if trigger == ESCALATE else actor_id, **values).execute()


def backfill_job_facts() -> int:
    """Facts for every event that lacks one, from the events and their orders (idempotent:
    an event with a fact is left alone, and a second migrator racing this one writes nothing
    twice). models.create_tables runs it when the table is new; the number of facts written."""
    E, R = OrderEvent, RepairOrder
    complete = E.trigger == COMPLETE
    repair = _seconds_sql(R.completed_at, fn.COALESCE(R.arrived_at, R.accepted_at))
    query = (E.select(E.id, E.order, E.trigger, E.created_at, _month_sql(E.created_at),
                      _when(E.trigger != ESCALATE, E.actor), _when(complete, R.category),
                      _when(complete, _seconds_sql(R.arrived_at, R.submitted_at)),
                      _when(complete, repair), _when(complete, R.rating))
             .join(R, on=(R.id == E.order))
             .where(E.trigger.in_(STEPS), E.actor.is_null(False) | (E.trigger == ESCALATE),
                    ~fn.EXISTS(JobFact.select(SQL("1")).where(JobFact.event == E.id))))
    columns = [JobFact.event, JobFact.order_id, JobFact.step, JobFact.at, JobFact.month,
               JobFact.engineer_id, JobFact.category_id, JobFact.arrival_seconds,
               JobFact.repair_seconds, JobFact.rating]
    with db.atomic():
        return JobFact.insert_from(query, columns).on_conflict_ignore().as_rowcount().execute()


def _when(condition, value):
    """CASE WHEN condition THEN value END."""
    return Case(None, [(condition, value)], None)


def _month_sql(moment):
    """month_of() in SQL."""
    if is_sqlite():
        return fn.strftime("%Y%m", moment).cast("INTEGER")
    return (fn.date_part("year", moment) * 100 + fn.date_part("month", moment)).cast("INTEGER")


def _seconds_sql(later, earlier):
    """later − earlier in seconds, in SQL (SQLite's day numbers rounded to the millisecond)."""
    if is_sqlite():
        return fn.ROUND((fn.julianday(later) - fn.julianday(earlier)) * 86400.0, 3)
    return fn.date_part("epoch", later - earlier)
