"""The catalogue as the chat reads it: each kind's categories and the places' names, kept in the
process so a turn reads no catalogue rows.

A back-office edit drops them in every process at once: it changes the catalogue's version in
Redis, which each chat turn reads with its state and hands to check_version(). The minute they
are kept at most is only a backstop, for edits made elsewhere (SQL, a lost Redis write).
"""
from __future__ import annotations

import re
import time

from models.catalogue import MATTER, REPAIR, FaultType, Location

KEEP_SECONDS = 60
_KEPT: dict = {}
_VERSION: list = [None]   # the catalogue version the kept values belong to


def categories(kind: str) -> list[FaultType]:
    """The active categories of `kind` (报修 or 报事), in menu order."""
    return _kept(f"categories:{kind}", lambda: FaultType.menu(kind))


def all_categories() -> list[FaultType]:
    """Every active category, of both kinds."""
    return _kept("categories:all", lambda: categories(REPAIR) + categories(MATTER))


def keywords(kind: str) -> tuple[str, ...]:
    """Every keyword of `kind`'s categories (what makes free text a fault)."""
    return _kept(f"keywords:{kind}", lambda: tuple(
        k for c in categories(kind) for k in c.keyword_list))


def lowered_keywords(kind: str) -> list[tuple[FaultType, tuple[str, ...]]]:
    """Each category of `kind` with its keywords in lower case, for scoring free text."""
    return _kept(f"lowered:{kind}", lambda: [
        (c, tuple(k.lower() for k in c.keyword_list if k)) for c in categories(kind)])


def urgent_categories() -> list[FaultType]:
    """The active categories that have urgent keywords, of both kinds."""
    return _kept("urgent", lambda: [c for c in all_categories() if c.urgent_keywords])


def places() -> list[tuple[str, str]]:
    """(name, full name without spaces) of active campuses and buildings."""
    return _kept("places", lambda: [
        (name, re.sub(r"\s+", "", full)) for name, full in Location.select(
            Location.name, Location.full_name).where(Location.active,
                                                     Location.level != "room").tuples()])


def forget() -> None:
    """Read the catalogue afresh on next use (after an edit in this process)."""
    _KEPT.clear()


def check_version(version) -> None:
    """Forget what is kept when the catalogue's version (read by the turn) has changed."""
    if version != _VERSION[0]:
        _KEPT.clear()
        _VERSION[0] = version


def _kept(key: str, load):
    now = time.monotonic()
    value, until = _KEPT.get(key, (None, 0.0))
    if until < now:
        value = load()
        _KEPT[key] = (value, now + KEEP_SECONDS)
    return value
