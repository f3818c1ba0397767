"""The order list's search box (`q`): one 单号, a phone, or words of a name or description.

What each costs on a million orders, with no index added to repair_order (each one is paid on
every 确认):

- 单号 (lower case and spaces are fine): the unique index on number, one row.
- a phone: the reporters whose phone it is (a scan of users, a few milliseconds), then their
  orders through the (reporter, submitted_at) index: every order of theirs, however old.
- words: each word in the description, the name given with the order, the reporter's name or
  the phone's digits. Nothing indexes free text, so a page reads at most WINDOW orders, newest
  first from where the page starts; when those hold fewer than a page of matches, the page
  says how far back it looked and the next one goes on from there (a bounded scan).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import and_, or_
from typing import Optional

from handlers.order_refs import whole_number
from handlers.phones import normalise_phone
from models.orders import RepairOrder
from models.people import User

R = RepairOrder
NUMBER, PHONE, WORDS = "number", "phone", "words"
WINDOW = 20_000     # orders a words search reads per page
MAX_TYPED, MAX_WORDS = 64, 5


@dataclass(frozen=True)
class Search:
    """What was typed, understood: its kind, and the number, phone or words to look for."""
    kind: str
    text: str
    words: tuple[str, ...] = ()


def clean(typed: Optional[str]) -> str:
    """The typed text on one line, spaces single, at most MAX_TYPED characters."""
    return " ".join((typed or "").split())[:MAX_TYPED]


def parse_search(text: str) -> Optional[Search]:
    """The search in a clean()ed `q` (None when there is nothing to look for)."""
    if not text:
        return None
    number = whole_number(text)   # as the chat reads it: any case, spaces, with or without BX
    if number:
        return Search(NUMBER, number)
    phone = normalise_phone(text)
    if phone:
        return Search(PHONE, phone)
    return Search(WORDS, text, tuple(dict.fromkeys(text.split()))[:MAX_WORDS])


def search_terms(search: Search) -> list:
    """The WHERE terms that find the search's orders."""
    if search.kind == NUMBER:
        return [R.number == search.text]
    if search.kind == PHONE:
        reporters = [i for (i,) in User.select(User.id).where(User.phone == search.text).tuples()]
        return [R.reporter.in_(reporters)]
    return [reduce(or_, _places_of(word)) for word in search.words]


def _places_of(word: str) -> list:
    """Where a word may be: the description, the name given, the phone, the reporter's name."""
    named = User.select(User.id).where(User.name.contains(word))
    return [R.description.contains(word), R.reporter_name.contains(word),
            R.phone.contains(word), R.reporter.in_(named)]


def bounded(search: Optional[Search]) -> bool:
    """Whether the search reads a window of orders at a time (free words)."""
    return search is not None and search.kind == WORDS


def window_end(range_terms: list) -> Optional[tuple[datetime, int]]:
    """(submitted_at, id) of the oldest order of the next WINDOW within `range_terms` (the
    dates and the page's start), read from the time index alone; None when fewer are left."""
    query = R.select(R.submitted_at, R.id)
    if range_terms:
        query = query.where(reduce(and_, range_terms))
    row = query.order_by(R.submitted_at.desc(), R.id.desc()).offset(WINDOW - 1).limit(1).first()
    return (row.submitted_at, row.id) if row else None


def not_older_than(end: tuple[datetime, int]) -> list:
    """The terms that keep a page inside its window."""
    at, last_id = end
    return [R.submitted_at >= at, (R.submitted_at > at) | (R.id >= last_id)]
