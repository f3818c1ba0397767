"""Working calendars: which instants count towards an SLA clock. Pure: naive local datetimes.

A calendar lists open intervals per weekday. An interval whose end is not after its start
crosses midnight (17:30–09:00 runs into the next morning); start == end is a whole 24 hours.
An interval belongs to the day it starts on: a holiday closes the night that begins on it, not
the morning after a night that began the day before. Intervals are half-open: [start, end).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Iterable, Iterator, Optional

Interval = tuple[time, time]
Span = tuple[datetime, datetime]
Pause = tuple[datetime, Optional[datetime]]     # end None: still paused (挂起 not yet resumed)
ZERO = timedelta(0)
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)
ALL_DAY: tuple[Interval, ...] = ((time(0), time(0)),)
# A budget that no open hour within this reaches means a calendar without open hours: a
# configuration mistake, reported instead of searching for ever.
HORIZON = timedelta(days=400)


class SettingError(ValueError):
    """A [sla] or [shifts] setting is malformed; the message starts with its key."""


@dataclass(frozen=True)
class Calendar:
    """Open hours per weekday (Monday first), holidays with their own hours, extra working days."""
    week: tuple[tuple[Interval, ...], ...] = (ALL_DAY,) * 7
    holidays: frozenset[date] = frozenset()
    holiday_hours: tuple[Interval, ...] = ()               # closed on holidays unless given
    workdays: frozenset[date] = frozenset()                # 调休: a rest day worked after all
    workday_hours: Optional[tuple[Interval, ...]] = None   # None: Monday's hours

    @cached_property
    def always_open(self) -> bool:
        """Open every hour of every day, holidays and extra working days included."""
        return all(hours == ALL_DAY for hours in self.week) \
            and (not self.holidays or self.holiday_hours == ALL_DAY) \
            and (not self.workdays or self.workday_hours in (None, ALL_DAY))

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The open intervals that start on `day`."""
        if day in self.holidays:
            return self.holiday_hours
        if day in self.workdays:
            return self.week[0] if self.workday_hours is None else self.workday_hours
        return self.week[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        """Whether any open interval starts on `day`."""
        return bool(self.hours_on(day))

    def is_open(self, at: datetime) -> bool:
        """Whether the instant `at` is inside business hours."""
        return next(self.spans(at, at + TICK), None) is not None

    def spans(self, start: datetime, end: datetime) -> Iterator[Span]:
        """Open spans overlapping [start, end), earliest first, overlapping ones merged."""
        current = None
        for opens, closes in self._raw_spans(start.date() - DAY, end):
            if opens >= end:
                break
            if closes <= start:
                continue
            if current and opens < current[1]:
                current = (current[0], max(current[1], closes))
                continue
            if current:
                yield current
            current = (opens, closes)
        if current:
            yield current

    def business_time(self, start: datetime, end: datetime,
                      pauses: Iterable[Pause] = ()) -> timedelta:
        """Time between start and end inside business hours, less the pauses."""
        if end <= start:
            return ZERO
        if self.always_open and isinstance(pauses, tuple) and not pauses:
            return end - start
        closed, open_from = _normalise(pauses)
        stops = closed + ([(open_from, datetime.max)] if open_from else [])
        return sum((b - a for a, b in self._pieces(start, end, stops)), ZERO)

    def add_business_time(self, start: datetime, budget: timedelta,
                          pauses: Iterable[Pause] = ()) -> Optional[datetime]:
        """The earliest instant by which `budget` of business time has passed since `start`.

        None when a pause without an end (still suspended) stops the clock before that.
        """
        if budget < ZERO:
            raise ValueError(f"negative business time budget: {budget}")
        if budget == ZERO:
            return start
        if self.always_open and isinstance(pauses, tuple) and not pauses:
            return start + budget   # the 超时 list asks this of every running order
        closed, open_from = _normalise(pauses)
        last = max([start] + [end for _, end in closed])
        left = budget
        for a, b in self._pieces(start, open_from or last + HORIZON, closed):
            if b - a >= left:
                return a + left
            left -= b - a
        if open_from:
            return None
        raise ValueError(f"the calendar has no business hours within {HORIZON.days} days")

    def _raw_spans(self, first_day: date, end: datetime) -> Iterator[Span]:
        """Every interval starting from `first_day` until `end`, in order of opening."""
        day = first_day
        while datetime.combine(day, time(0)) < end:
            for begin, finish in sorted(self.hours_on(day)):
                opens = datetime.combine(day, begin)
                closes = datetime.combine(day, finish) + (DAY if finish <= begin else ZERO)
                yield opens, closes
            day += DAY

    def _pieces(self, start: datetime, end: datetime, stops: list[Span]) -> Iterator[Span]:
        """Open spans clipped to [start, end), with the pauses cut out."""
        for opens, closes in self.spans(start, end):
            yield from _cut(max(opens, start), min(closes, end), stops)


ALWAYS = Calendar()   # the clock always runs: the campus desk is staffed day and night
ALWAYS_NAME = "always"   # its name in settings, beside the shift names of [shifts]


def _normalise(pauses: Iterable[Pause]) -> tuple[list[Span], Optional[datetime]]:
    """Closed pauses sorted and merged, and when the first pause without an end began."""
    pauses = list(pauses)
    open_from = min((start for start, end in pauses if end is None), default=None)
    merged: list[Span] = []
    for start, end in sorted((s, e) for s, e in pauses if e is not None and e > s):
        if open_from and start >= open_from:
            break   # the clock is stopped for good from open_from on
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged, open_from


def _cut(start: datetime, end: datetime, stops: list[Span]) -> Iterator[Span]:
    """[start, end) without the sorted, disjoint `stops`."""
    cursor = start
    for stop_start, stop_end in stops:
        if stop_end <= cursor or stop_start >= end:
            continue
        if stop_start > cursor:
            yield cursor, stop_start
        cursor = max(cursor, stop_end)
    if cursor < end:
        yield cursor, end


_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def parse_time(key: str, value) -> time:
    """A TOML local time or an "HH:MM" string; "24:00" is midnight at the end of the day."""
    if isinstance(value, time):
        return value
    found = _CLOCK.match(value) if isinstance(value, str) else None
    if not found or (found.group(1) == "24" and found.group(2) != "00"):
        raise SettingError(f'{key} must be a time like "09:00", not {value!r}')
    return time(int(found.group(1)) % 24, int(found.group(2)))


def parse_dates(key: str, values) -> frozenset[date]:
    """A list of TOML dates or "YYYY-MM-DD" strings."""
    if not isinstance(values, list):
        raise SettingError(f'{key} must be a list of dates like "2026-10-01"')
    return frozenset(_date(key, value) for value in values)


def _date(key: str, value) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SettingError(f'{key} must hold dates like "2026-10-01", not {value!r}') from None
