"""Repeat faults: an order repeats one when an earlier order of its fault type at its place,
not cancelled, was submitted within the 30 days before it.

The leader's reports count them for a whole month; seeking the earlier order for each of tens
of thousands of orders was most of a report's time. So each order carries the answer
(`repeat_fault`): the worker marks new orders in batches (mark_repeats, off the 确认 path), a
cancellation unmarks the later orders it made repeats (unmark_after_cancel), and the reports
read the marks, seeking only for the few orders not marked yet (repeated_orders). An order's
type, place and time never change after it is stored, so nothing else can change an answer.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from peewee import SQL, Case, Value, fn

from models.database import transaction
from models.lifecycle import CANCELLED
from models.orders import RepairOrder
from models.statistics_sql import as_time, duration, shifted_back, submitted_between, unindexed

R = RepairOrder
REPEAT_WINDOW = timedelta(days=30)
MARK_BATCH = 2000   # orders marked per transaction: short writes, 确认 never waits long


def earlier_same_fault(order, catalogued: bool, window: timedelta = REPEAT_WINDOW):
    """EXISTS an earlier order like `order` (a RepairOrder or an alias of it in the query):
    seeks the (location, category, submitted_at) index for a catalogue place, the
    (location_text, category, submitted_at) one for a typed place."""
    earlier = R.alias("earlier")
    same_place = ((earlier.location == order.location,) if catalogued else
                  (earlier.location.is_null(), earlier.location_text == order.location_text))
    return fn.EXISTS(earlier.select(SQL("1")).where(
        *same_place, earlier.category == order.category, earlier.status != CANCELLED,
        earlier.submitted_at >= shifted_back(order.submitted_at, window),
        earlier.submitted_at < order.submitted_at,
        as_time(order.submitted_at) - as_time(earlier.submitted_at)
        <= duration(window.total_seconds() / 60)))


def repeated_orders(start: datetime, end: datetime, window: timedelta = REPEAT_WINDOW):
    """(category_id, location_id, place) of each order of [start, end) that repeats one: the
    marked ones from their own index, the rest by a seek each (every order, for a window other
    than the one marked)."""
    eligible = (submitted_between(start, end), R.status != CANCELLED, R.category.is_null(False))
    unknown = (R.repeat_fault.is_null(),) if window == REPEAT_WINDOW else ()
    catalogued = R.select(R.category, R.location, Value(None).alias("place")).where(
        *eligible, *unknown, unindexed(R.location).is_null(False),
        earlier_same_fault(R, True, window))
    typed = R.select(R.category, R.location, R.location_text).where(
        *eligible, *unknown, unindexed(R.location).is_null(),
        earlier_same_fault(R, False, window))
    if not unknown:
        return catalogued.union_all(typed)
    place = Case(None, [(R.location.is_null(), R.location_text)], None)
    marked = R.select(R.category, R.location, place.alias("place")).where(*eligible, R.repeat_fault)
    return marked.union_all(catalogued).union_all(typed)


def mark_repeats(limit: int = MARK_BATCH) -> int:
    """Mark up to `limit` orders not marked yet, oldest first; how many were marked."""
    with transaction():
        batch = [order_id for (order_id,) in R.select(R.id).where(R.repeat_fault.is_null())
                 .order_by(R.submitted_at).limit(limit).tuples()]
        if not batch:
            return 0
        repeating = set()
        for catalogued in (True, False):
            located = R.location.is_null(False) if catalogued else R.location.is_null()
            repeating.update(order_id for (order_id,) in R.select(R.id).where(
                R.id.in_(batch), located, earlier_same_fault(R, catalogued)).tuples())
        for answer, ids in ((True, repeating), (False, set(batch) - repeating)):
            if ids:
                R.update(repeat_fault=answer).where(R.id.in_(sorted(ids))).execute()
    return len(batch)


def mark_all_repeats() -> int:
    """Mark every order not marked yet, a batch per transaction; how many were marked."""
    total = 0
    while marked := mark_repeats():
        total += marked
    return total


def unmark_after_cancel(order: RepairOrder) -> None:
    """`order` was cancelled: the later orders it made repeats must be asked again (another
    earlier order may still make them one). Call in the cancellation's transaction."""
    if order.category_id is None:
        return
    same_place = ((R.location == order.location_id,) if order.location_id else
                  (R.location.is_null(), R.location_text == order.location_text))
    # A day more than the window: the exact check is mark_repeats' (times keep their
    # fractions differently per database).
    R.update(repeat_fault=None).where(
        *same_place, R.category == order.category_id, R.repeat_fault,
        R.submitted_at > order.submitted_at,
        R.submitted_at <= order.submitted_at + REPEAT_WINDOW + timedelta(days=1)).execute()
