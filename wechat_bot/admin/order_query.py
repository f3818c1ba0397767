"""The order list's filters, its search (order_search.py) and keyset paging: 50 rows a page,
never an OFFSET; open urgent orders pinned above the first page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple, Optional

from handlers.followups import LOW_SCORE
from handlers.leader import stats_limits
from models.catalogue import Location
from models.dashboard_stats import overdue_condition
from models.lifecycle import OPEN_STATES, STATES
from models.orders import RepairOrder, open_urgent
from wechat_bot.admin.order_search import (Search, bounded, clean, not_older_than,
                                           parse_search, search_terms, window_end)

R = RepairOrder
PAGE_SIZE = 50
PINNED_LIMIT = 50   # open urgent orders are few; more than this is a crisis the list still shows
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
    q: str = ""                          # the search box, as typed (cleaned)
    search: Optional[Search] = None      # what it looks for

    def query_args(self) -> dict:
        """The filters as query parameters, for the form and the next-page link."""
        args = {"q": self.q, "status": self.status, "since": self.since, "until": self.until,
                **{name: getattr(self, name) for name in ID_FILTERS},
                **{flag: 1 for flag in self.flags}}
        return {key: value for key, value in args.items() if value not in (None, "")}


class Page(NamedTuple):
    """One page of the list: its rows, where the next starts ("" on the last), and, when a
    words search read its whole window short of a page, the oldest time it looked at."""
    rows: list
    next_cursor: str
    searched_to: Optional[datetime] = None


def parse_filters(args) -> Filters:
    """Filters from the query string (a dict-like of strings)."""
    q = clean(args.get("q"))
    return Filters(q=q, search=parse_search(q),
                   status=args.get("status") if args.get("status") in STATES else "",
                   since=_date(args.get("since")), until=_date(args.get("until")),
                   flags=frozenset(flag for flag in FLAGS if args.get(flag) == "1"),
                   **{name: _int(args.get(name)) for name in ID_FILTERS})


def page(filters: Filters, after: str, now: datetime, sla: dict, size: int = PAGE_SIZE) -> Page:
    """One page of orders, newest first; a words search reads one window of orders at most."""
    start = _after(parse_cursor(after))
    terms = conditions(filters, now, sla) + start
    end = window_end(_dates(filters) + start) if bounded(filters.search) else None
    if end:
        terms += not_older_than(end)
    query = R.select().where(*terms) if terms else R.select()
    rows = list(query.order_by(R.submitted_at.desc(), R.id.desc()).limit(size + 1))
    if len(rows) > size:
        return Page(rows[:size], make_cursor(rows[size - 1]))
    if end:   # the window ran out first: go on from its oldest order
        return Page(rows, _cursor_text(*end), end[0])
    return Page(rows, "")


def pinned(filters: Filters, now: datetime, sla: dict) -> list:
    """Open urgent orders that pass the filters, newest first, to show above the first page.

    Read through their own partial index (models/orders.py), apart from the keyset pages,
    which list these orders in their place as well.
    """
    terms = conditions(filters, now, sla) + [open_urgent()]
    return list(R.select().where(*terms).order_by(R.submitted_at.desc(), R.id.desc())
                .limit(PINNED_LIMIT))


def _after(cursor: Optional[tuple[datetime, int]]) -> list:
    """Strictly after the last row shown: (submitted_at, id) below the cursor's."""
    if cursor is None:
        return []
    at, last_id = cursor
    # The plain `<=` lets the database seek the time index; the OR alone makes it scan.
    return [R.submitted_at <= at,
            (R.submitted_at < at) | ((R.submitted_at == at) & (R.id < last_id))]


def conditions(filters: Filters, now: datetime, sla: dict) -> list:
    """The WHERE terms of `filters`."""
    terms = [_status_is(filters.status)] if filters.status else []
    if filters.search:
        terms += search_terms(filters.search)
    if filters.category:
        terms.append(R.category == filters.category)
    if filters.location:
        terms.append(R.location.in_(_location_and_below(filters.location)))
    if filters.engineer:
        terms.append(R.engineer == filters.engineer)
    return terms + _dates(filters) + _flag_terms(filters.flags, now, sla)


def _dates(filters: Filters) -> list:
    """The submitted-date range; the whole `until` day is included."""
    terms = []
    if filters.since:
        terms.append(R.submitted_at >= datetime.combine(filters.since, datetime.min.time()))
    if filters.until:
        terms.append(R.submitted_at < datetime.combine(filters.until + timedelta(days=1),
                                                       datetime.min.time()))
    return terms


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
    return _cursor_text(order.submitted_at, order.id)


def _cursor_text(at: datetime, order_id: int) -> str:
    return f"{at:%Y%m%d%H%M%S%f}.{order_id}"


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
