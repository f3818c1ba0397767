"""Writing lifecycle changes: each status change and its OrderEvent in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from models.catalogue import REPAIR, Device, FaultType, Location
from models.database import fast_create, transaction
from models.job_facts import record_fact
from models.lifecycle import CANCELLED, SUBMITTED, IllegalTransition, find_transition
from models.new_orders import store_new_order
from models.orders import NORMAL, OrderEvent, RepairOrder
from models.people import User
from models.repeats import unmark_after_cancel


class ConcurrentChange(IllegalTransition):
    """Someone else changed the order between our read and our write."""


@dataclass
class NewOrder:
    """Everything a reporter's draft holds when they confirm it."""
    reporter: User
    category: Optional[FaultType]
    location_text: str
    description: str
    phone: str
    kind: str = REPAIR
    location: Optional[Location] = None
    attachment_ids: tuple[int, ...] = ()
    device: Optional[Device] = None  # a device poster was scanned: warranty routing reads it
    reporter_name: str = ""         # 称呼, as given with the phone
    reporter_unit: str = ""         # 学院/部门 or 楼栋房号 ([conversation] unit_label)
    priority: str = NORMAL          # URGENT: an emergency (handlers/emergency.py)
    submission_key: Optional[str] = None   # the draft's: one order per draft, whatever repeats


def submit_order(new: NewOrder, now: datetime, notice: Optional[dict] = None) -> RepairOrder:
    """Store a new order with its number, first event, photos and (pending_values) notice,
    all or nothing."""
    return store_new_order(now.date(), dict(
        kind=new.kind, reporter=new.reporter, category=new.category, location=new.location,
        location_text=new.location_text, device=new.device, description=new.description,
        phone=new.phone, status=SUBMITTED, submitted_at=now, reporter_name=new.reporter_name,
        reporter_unit=new.reporter_unit, priority=new.priority,
        department=new.category.department_id if new.category else None,
        submission_key=new.submission_key),
        dict(actor=new.reporter, trigger="submit", from_status="", to_status=SUBMITTED,
             created_at=now),
        notice, new.attachment_ids)


def submitted_from(key: Optional[str]) -> Optional[RepairOrder]:
    """The order a draft's submission key already made, if any."""
    return RepairOrder.get_or_none(RepairOrder.submission_key == key) if key else None


def fire(order: RepairOrder, trigger: str, actor: Optional[User], now: datetime,
         note: str = "", only_engineer: Optional[int] = None, at: Optional[datetime] = None,
         **changes) -> RepairOrder:
    """Move `order` by `trigger`, writing the change and its event atomically.

    The UPDATE only matches while the status (and, with `only_engineer`, the assignee) is
    still what we read, so of two racing actors exactly one wins; the other gets
    ConcurrentChange. `at` is when the step happened if not now (the time written on a paper
    派工单): the transition's timestamp takes it, the event is still written at `now`.
    """
    row = find_transition(order, trigger, now)
    values = dict(changes, status=row.dest)
    if row.stamp:
        values[row.stamp] = at or now
    still = [RepairOrder.id == order.id, RepairOrder.status == order.status]
    completed_before = order.completed_at is not None
    if only_engineer is not None:
        still.append(RepairOrder.engineer == only_engineer)
    with transaction():
        won = RepairOrder.update(values).where(*still).execute()
        if won != 1:
            raise ConcurrentChange(trigger, order.status)
        event = fast_create(OrderEvent, order=order, actor=actor, trigger=trigger,
                            from_status=order.status, to_status=row.dest, note=note,
                            created_at=now)
        for name, value in values.items():
            setattr(order, name, value)
        record_fact(order, event.id, trigger, _id_of(actor), now, completed_before)
        if row.dest == CANCELLED:
            unmark_after_cancel(order)
    return order


def _id_of(actor) -> Optional[int]:
    """A user's id, whether given as a User or as its id."""
    return getattr(actor, "id", actor)


def record_event(order: RepairOrder, trigger: str, actor: Optional[User], now: datetime,
                 note: str = "") -> None:
    """A timeline entry that changes no status (an escalation); the caller's transaction."""
    event = fast_create(OrderEvent, order=order, actor=actor, trigger=trigger,
                        from_status=order.status, to_status=order.status, note=note,
                        created_at=now)
    record_fact(order, event.id, trigger, _id_of(actor), now)
