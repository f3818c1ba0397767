"""The database side of the SLA rules: an order's clock facts, and the orders worth checking."""
from __future__ import annotations

from datetime import datetime, timedelta

from peewee import IntegrityError, fn

from models.database import db
from models.lifecycle import ACCEPTED, ARRIVED, COMPLETED, DISPATCHED, SUBMITTED, SUSPENDED
from models.orders import OrderEscalation, OrderEvent, RepairOrder
from models.sla import OrderClock, suspensions_from

# Orders whose clocks may have run out; completed orders wait only for their survey.
RUNNING = (SUBMITTED, DISPATCHED, ACCEPTED, ARRIVED, SUSPENDED)


def order_clock(order: RepairOrder) -> OrderClock:
    """The SLA facts of one order: its timestamps, suspensions and escalations sent."""
    timeline = (OrderEvent.select(OrderEvent.trigger, OrderEvent.created_at)
                .where(OrderEvent.order == order, OrderEvent.trigger.in_(("suspend", "resume")))
                .order_by(OrderEvent.created_at, OrderEvent.id).tuples())
    sent = OrderEscalation.select(OrderEscalation.step).where(OrderEscalation.order == order)
    return OrderClock(
        submitted_at=order.submitted_at, status=order.status,
        dispatched_at=order.dispatched_at, first_dispatched_at=order.first_dispatched_at,
        accepted_at=order.accepted_at, arrived_at=order.arrived_at,
        completed_at=order.completed_at, suspensions=suspensions_from(list(timeline)),
        accept_misses=order.accept_misses, escalations_sent=frozenset(s.step for s in sent),
        with_vendor=bool(order.vendor_name) and order.engineer_id is None)


def awaiting_acceptance(now: datetime, shortest: timedelta) -> list[RepairOrder]:
    """Dispatched to an engineer at least `shortest` ago and not accepted (never a vendor's)."""
    return list(RepairOrder.select().where(
        RepairOrder.status == DISPATCHED, RepairOrder.engineer.is_null(False),
        RepairOrder.dispatched_at <= now - shortest).order_by(RepairOrder.id))


def running_since(now: datetime, shortest: timedelta) -> list[RepairOrder]:
    """Unfinished orders reported at least `shortest` ago: their clocks may have run out."""
    return list(RepairOrder.select().where(
        RepairOrder.status.in_(RUNNING), RepairOrder.submitted_at <= now - shortest)
        .order_by(RepairOrder.id))


def awaiting_rating() -> list[RepairOrder]:
    """Completed orders the reporter has not rated yet, each with `told_at`: when the reporter
    heard of the completion, which the survey counts from. That is the complete event's time:
    a paper 派工单 recorded days later has an older completed_at, and the reporter must still
    get the time to rate it."""
    orders = list(RepairOrder.select().where(RepairOrder.status == COMPLETED)
                  .order_by(RepairOrder.id))
    told = dict(OrderEvent.select(OrderEvent.order, fn.MAX(OrderEvent.created_at))
                .where(OrderEvent.order.in_(RepairOrder.select(RepairOrder.id)
                                            .where(RepairOrder.status == COMPLETED)),
                       OrderEvent.trigger == "complete")
                .group_by(OrderEvent.order).tuples())
    for order in orders:
        order.told_at = max(told.get(order.id) or order.completed_at, order.completed_at)
    return orders


def claim_escalation(order: RepairOrder, step: str, now: datetime) -> bool:
    """Record that `step` is sent for `order`; False when it already was (by anyone)."""
    try:
        with db.atomic():  # a savepoint: losing the race must not spoil the caller's work
            OrderEscalation.insert(order=order, step=step, sent_at=now).execute()
    except IntegrityError:
        return False
    return True
