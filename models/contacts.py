"""Who hears about an order that needs a person: one chain for the queue, the ladder and 催单.

The order's engineer, else its supervisors (models.assignment_data.supervisors_for), else the
leaders, else the desk on duty: the dispatchers and the staff of the shift on duty. A link
counts only when somebody in it was actually reached (follows the account and a notice could
be queued), so an order is never left with a note that claims a person who does not exist.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

from models.assignment_data import supervisors_for
from models.orders import RepairOrder
from models.people import DISPATCHER, ENGINEER, LEADER, SUPERVISOR, EngineerProfile, User
from models.sla import ENGINEER_REMINDER

DESK = "desk"
CHAIN = (ENGINEER, SUPERVISOR, LEADER, DESK)
# Where each step of the SLA ladder (models/sla.py) starts along the chain.
STEP_START = {ENGINEER_REMINDER: ENGINEER, SUPERVISOR: SUPERVISOR, LEADER: LEADER}

Group = tuple[str, list[User]]


def chain(order: RepairOrder, shift: Optional[str], start: str = ENGINEER) -> Iterator[Group]:
    """(link, its users) from `start` on, each loaded only when the one before reached nobody."""
    for link in CHAIN[CHAIN.index(start):]:
        yield link, _members(link, order, shift)


def tell_first(groups: Iterator[Group], send: Callable[[str, User], object]) -> Optional[str]:
    """Send to everyone in the first group where `send` reaches anybody; that group's link.

    `send(link, user)` returns something true when it queued a notice. None: nobody was told.
    """
    for link, users in groups:
        reached = [user for user in users if send(link, user)]
        if reached:
            return link
    return None


def shift_staff(shift: str) -> list[User]:
    """Active staff who work the shift called `shift` (not those who work every shift)."""
    members = User.select(User.id).join(EngineerProfile).where(
        EngineerProfile.shift == shift, EngineerProfile.active)
    return list(User.select().where(User.id.in_(members)).order_by(User.id))


def _members(link: str, order: RepairOrder, shift: Optional[str]) -> list[User]:
    """The users of one link of the chain who follow the account."""
    if link == ENGINEER:
        engineer = order.engineer if order.engineer_id else None
        return [engineer] if engineer is not None and engineer.subscribed else []
    if link == SUPERVISOR:
        return list(User.select().where(User.id.in_(supervisors_for(order)))
                    .order_by(User.id))
    if link == LEADER:
        return list(User.holding(LEADER).order_by(User.id))
    desk = list(User.holding(DISPATCHER).order_by(User.id))
    on_shift = [u for u in shift_staff(shift) if u.subscribed] if shift else []
    return desk + [u for u in on_shift if u not in desk]
