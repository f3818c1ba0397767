"""The order list's filters and keyset paging: 50 rows a page, never an OFFSET."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Optional

from handlers.followups import LOW_SCORE
from handlers.leader import stats_limits
from models.catalogue import Location
from models.dashboard_stats import overdue_condition
from models.lifecycle import OPEN_STATES, STATES
from models.orders import RepairOrder

R = RepairOrder
PAGE_SIZE = 50
FLAGS = ("overdue", "unrated", "low")
ID_FILTERS = ("category", "location", "engineer")


@dataclass
class Filters:
    """What the list is narrowed to; every field optional, bad values are dropped."""
    status: str = ""
    category: Optional[int] = None
    location: Optional[int] = None
    engineer: Optional[int] = None
    since: Optional[date] = None
    until: Optional[date] = None
    flags: frozenset = field(default_factory=frozenset)

    def query_args(self) -> dict:
        """The filters as query parameters, for the form and the next-page link."""
        args = {"status": self.status, "since": self.since, "until": self.until,
                **{name: getattr(self, name) for name in ID_FILTERS},
                **{flag: 1 for flag in self.flags}}
        return {key: value for key, value in args.items() if value not in (None, "")}


def parse_filters(args) -> Filters:
    """Filters from the query string (a dict-like of strings)."""
    return Filters(status=args.get("status") if args.get("status") in STATES else "",
                   since=_date(args.get("since")), until=_date(args.get("until")),
                   flags=frozenset(flag for flag in FLAGS if args.get(flag) == "1"),
                   **{name: _int(args.get(name)) for name in ID_FILTERS})


def page(filters: Filters, after: str, now: datetime, sla: dict) -> tuple[list, str]:
    """One page of orders, newest first, and the cursor of the next page ("" on the last)."""
    query, terms = R.select(), conditions(filters, now, sla)
    if terms:
        query = query.where(*terms)
    cursor = parse_cursor(after)
    if cursor:  # strictly after the last row shown: (submitted_at, id) below the cursor's
        at, last_id = cursor
        # The plain `<=` lets the database seek the time index; the OR alone makes it scan.
        query = query.where(R.submitted_at <= at,
                            (R.submitted_at < at) | ((R.submitted_at == at) & (R.id < last_id)))
    rows = list(query.order_by(R.submitted_at.desc(), R.id.desc()).limit(PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (make_cursor(rows[-1]) if more else "")


def conditions(filters: Filters, now: datetime, sla: dict) -> list:
    """The WHERE terms of `filters`."""
    terms = [_status_is(filters.status)] if filters.status else []
    if filters.category:
        terms.append(R.category == filters.category)
    if filters.location:
        terms.append(R.location.in_(_location_and_below(filters.location)))
    if filters.engineer:
        terms.append(R.engineer == filters.engineer)
    if filters.since:
        terms.append(R.submitted_at >= datetime.combine(filters.since, datetime.min.time()))
    if filters.until:  # the whole `until` day is included
        terms.append(R.submitted_at < datetime.combine(filters.until + timedelta(days=1),
                                                       datetime.min.time()))
    return terms + _flag_terms(filters.flags, now, sla)


def _status_is(status: str):
    """The status test; for the states most orders end in, kept off the status index.

    A million closed orders read through the status index must all be sorted by time before
    the first 50 show (seconds); walking the time index and testing the status stops after 50.
    Open states are rare, so for them the status index is the short way.
    """
    if status in OPEN_STATES:
        return R.status == status
    return R.status.concat("") == status


def _flag_terms(flags: frozenset, now: datetime, sla: dict) -> list:
    terms = []
    if "unrated" in flags:
        terms.append(R.unrated)   # bare, as the partial index's WHERE says it (not "= ?")
    if "low" in flags:
        terms.append(R.rating <= LOW_SCORE)
    if "overdue" in flags:
        terms.append(overdue(now, sla))
    return terms


def overdue(now: datetime, sla: dict):
    """Open and past the arrive or complete limit, in wall-clock time by fault type.

    The dashboard's overdue count is the same test (models/dashboard_stats.py), so the count
    and this list agree; SQL cannot walk the business calendars: the order page shows the
    exact deadlines.
    """
    return overdue_condition(now, stats_limits(sla))


def make_cursor(order: RepairOrder) -> str:
    """The position just past `order`, as text for a query parameter."""
    return f"{order.submitted_at:%Y%m%d%H%M%S%f}.{order.id}"


def parse_cursor(text: str) -> Optional[tuple[datetime, int]]:
    """(submitted_at, id) from make_cursor's text; None for anything else (the first page)."""
    stamp, _, order_id = (text or "").partition(".")
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S%f"), int(order_id)
    except ValueError:
        return None


def _location_and_below(root: int) -> list[int]:
    """The location and everything under it (locations are few: one query)."""
    children: dict = {}
    for location_id, parent in Location.select(Location.id, Location.parent).tuples():
        children.setdefault(parent, []).append(location_id)
    found, todo = [], [root]
    while todo:
        location_id = todo.pop()
        if location_id not in found:
            found.append(location_id)
            todo.extend(children.get(location_id, ()))
    return found


def _int(text: Optional[str]) -> Optional[int]:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 12 else None


def _date(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
