"""Loading what the assignment rules need from the database, in a handful of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Iterable, Optional

from peewee import fn

from models.assignment import MATTER, Candidate, Decision, OrderFacts, Warranty, decide
from models.catalogue import Department, Device, FaultType, Location
from models.database import db
from models.lifecycle import OPEN_STATES, SUBMITTED
from models.orders import OrderEvent, RepairOrder
from models.people import SUPERVISOR, EngineerArea, EngineerProfile, EngineerSkill, User

# An order back in `submitted` after a reject may still name the engineer who turned it down;
# it is not their work, so only the states after dispatch count as workload.
WORKLOAD_STATES = tuple(state for state in OPEN_STATES if state != SUBMITTED)
# Handing a job back with 转单 is turning it down too: offering it to them again is pointless.
DECLINING_TRIGGERS = ("reject", "transfer", "timeout")  # timeout: actor = who let it lapse
def suggest(order: RepairOrder, today: date, shift: Optional[str] = None,
            declined: Iterable[int] = ()) -> Decision:
    """The assignment engine's decision for `order` now; `shift` is the shift on duty.

    `declined`: users to skip besides those the timeline shows turning it down (one whose
    dispatch is timing out right now, before that is written).
    """
    facts = order_facts(order, today)
    if declined:
        facts = replace(facts, rejected_by=facts.rejected_by | frozenset(declined))
    return decide(load_candidates(order, shift), facts)


def order_facts(order: RepairOrder, today: date) -> OrderFacts:
    """The order as the rules see it: kind, trade, departments, place, rejections, warranty."""
    return OrderFacts(kind=order.kind, fault_type_id=order.category_id,
                      department_ids=frozenset(_handling_departments(order)), today=today,
                      location_path=_location_path(_location_id(order)),
                      rejected_by=_declined_by(order), warranty=_warranty(order))


def load_candidates(order: RepairOrder, shift: Optional[str] = None) -> list[Candidate]:
    """Staff who might take `order`, with skills, areas and open jobs; four queries in all.

    The SQL only narrows (by trade for repairs, by department for matters) so that large
    teams stay cheap; every rule is applied again by models.assignment.decide.
    """
    profiles = _profiles_for(order)
    if profiles is None:
        return []
    ids = profiles.select(EngineerProfile.id).order_by()
    skills = _grouped(EngineerSkill.select(EngineerSkill.engineer, EngineerSkill.fault_type)
                      .where(EngineerSkill.engineer.in_(ids)))
    areas = _grouped(EngineerArea.select(EngineerArea.engineer, EngineerArea.location)
                     .where(EngineerArea.engineer.in_(ids)))
    jobs = _open_jobs(profiles.select(EngineerProfile.user).order_by())
    stamp = EngineerProfile.last_assigned_at.python_value  # SQLite hands back text
    return [Candidate(user_id, frozenset(skills[pid]), frozenset(areas[pid]), dept,
                      bool(active), on_duty(works, shift), jobs.get(user_id, 0), stamp(last))
            for pid, user_id, active, last, dept, works in _raw(profiles)]


def on_duty(works: str, shift: Optional[str]) -> bool:
    """Engineers with no shift work every shift; no shift plan means everyone is on duty."""
    return not works or shift is None or works == shift


def supervisors_for(order: RepairOrder) -> list[int]:
    """Supervisors to tell of a queued order: its department's, else the nearest above, else all."""
    staff = _supervisors()
    tree = _department_parents()
    for dept in _ancestors(_handling_department(order), tree):
        here = sorted(user_id for user_id, home in staff if home == dept)
        if here:
            return here
    return sorted(user_id for user_id, _ in staff)


def _profiles_for(order: RepairOrder):
    """Engineer profiles joined to their users, narrowed to the order; None if nobody fits."""
    query = (EngineerProfile.select(EngineerProfile.id, EngineerProfile.user,
                                    EngineerProfile.active, EngineerProfile.last_assigned_at,
                                    User.department, EngineerProfile.shift)
             .join(User).order_by(EngineerProfile.id))
    if order.kind == MATTER:
        departments = _handling_departments(order)
        return query.where(User.department.in_(departments)) if departments else None
    if order.category_id is None:
        return None
    trade = EngineerSkill.select(EngineerSkill.engineer).where(
        EngineerSkill.fault_type == order.category_id)
    return query.where(EngineerProfile.id.in_(trade))


def _raw(query):
    """The query's rows as the driver returns them.

    peewee's per-row conversion costs more than the query itself for a team of thousands,
    and these rows are mostly integer ids, which need none.
    """
    return db.execute(query)


def _grouped(pairs) -> defaultdict[int, set[int]]:
    """(key, value) rows as key → set of values."""
    grouped = defaultdict(set)
    for key, value in _raw(pairs):
        grouped[key].add(value)
    return grouped


def _open_jobs(user_ids) -> dict[int, int]:
    """Orders each of `user_ids` holds in a workload state, by user id."""
    rows = (RepairOrder.select(RepairOrder.engineer, fn.COUNT(RepairOrder.id))
            .where(RepairOrder.engineer.in_(user_ids),
                   RepairOrder.status.in_(WORKLOAD_STATES))
            .group_by(RepairOrder.engineer))
    return dict(_raw(rows))


def _declined_by(order: RepairOrder) -> frozenset[int]:
    """Users who rejected or handed back this order at any time."""
    rows = OrderEvent.select(OrderEvent.actor).where(
        OrderEvent.order == order.id, OrderEvent.trigger.in_(DECLINING_TRIGGERS),
        OrderEvent.actor.is_null(False)).tuples()
    return frozenset(actor for (actor,) in rows)


def _location_id(order: RepairOrder) -> Optional[int]:
    """The order's location, else where its device stands."""
    if order.location_id is None and order.device_id is not None:
        return Device.select(Device.location).where(Device.id == order.device_id).scalar()
    return order.location_id


def _location_path(location_id: Optional[int]) -> tuple[int, ...]:
    """The location and its ancestors up to the campus, nearest first (one query a level)."""
    path: list[int] = []
    while location_id is not None and location_id not in path:  # a cycle must not hang us
        path.append(location_id)
        location_id = Location.select(Location.parent).where(
            Location.id == location_id).scalar()
    return tuple(path)


def _warranty(order: RepairOrder) -> Optional[Warranty]:
    """The device's vendor contact and warranty end, when the order names a device."""
    if order.device_id is None:
        return None
    row = (Device.select(Device.vendor, Device.vendor_phone, Device.warranty_end)
           .where(Device.id == order.device_id).tuples().first())
    return Warranty(*row) if row else None


def _handling_department(order: RepairOrder) -> Optional[int]:
    """The order's department (a dispatcher may have moved it), else its fault type's."""
    if order.department_id is not None or order.category_id is None:
        return order.department_id
    return FaultType.select(FaultType.department).where(
        FaultType.id == order.category_id).scalar()


def _handling_departments(order: RepairOrder) -> set[int]:
    """The handling department and every department under it."""
    root = _handling_department(order)
    if root is None:
        return set()
    children = defaultdict(list)
    for dept, parent in _department_parents().items():
        children[parent].append(dept)
    found, todo = set(), [root]
    while todo:
        dept = todo.pop()
        if dept not in found:
            found.add(dept)
            todo.extend(children[dept])
    return found


def _department_parents() -> dict[int, Optional[int]]:
    """Every department's parent id (departments are few)."""
    return dict(Department.select(Department.id, Department.parent).tuples())


def _ancestors(dept: Optional[int], parents: dict[int, Optional[int]]) -> Iterable[int]:
    """`dept` and the departments above it, nearest first."""
    seen = set()
    while dept is not None and dept not in seen:
        seen.add(dept)
        yield dept
        dept = parents.get(dept)


def _supervisors() -> list[tuple[int, Optional[int]]]:
    """(user id, department id) of subscribed users holding the supervisor role."""
    return list(User.holding(SUPERVISOR).select(User.id, User.department).tuples())
