"""The day's unfinished orders (当日未完成记录): what was still open when a day ended."""
from __future__ import annotations

from datetime import datetime, timedelta

from peewee import JOIN

from models.catalogue import FaultType
from models.lifecycle import OPEN_STATES
from models.orders import RepairOrder
from models.people import User

# A past day's list also shows orders finished since; those are looked for only among the
# orders reported this long before the day ended, so the query stays an index range.
LOOKBACK = timedelta(days=60)
MOST = 1000   # a printed list longer than this is no longer a list anyone reads


def unfinished_at(end: datetime, now: datetime) -> tuple[list[RepairOrder], int]:
    """Orders reported before `end` and neither completed nor cancelled by then, oldest first,
    at most MOST of them; and how many there are in all."""
    still_open = RepairOrder.status.in_(OPEN_STATES) & (RepairOrder.submitted_at < end)
    where = still_open
    if end < now:  # a past day: also what was open then and is finished now
        finished_since = (RepairOrder.submitted_at.between(end - LOOKBACK, end)
                          & ~RepairOrder.status.in_(OPEN_STATES)
                          & ((RepairOrder.completed_at >= end) | (RepairOrder.cancelled_at >= end)))
        where = still_open | finished_since
    total = RepairOrder.select().where(where).count()
    rows = (RepairOrder.select(RepairOrder, FaultType, User)
            .join_from(RepairOrder, FaultType, JOIN.LEFT_OUTER)
            .join_from(RepairOrder, User, JOIN.LEFT_OUTER, on=(RepairOrder.engineer == User.id))
            .where(where).order_by(RepairOrder.submitted_at, RepairOrder.id).limit(MOST))
    return list(rows), total
