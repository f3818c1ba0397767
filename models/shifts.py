"""Shifts: which desk is on duty when, and when the desks hand over (交接班). Pure, no I/O.

A shift runs from `start` to `end` on its weekdays, crossing midnight when end is not after
start (the night desk's 17:30–09:00 belongs to the evening it starts on). On holidays it is
closed, keeps its usual hours, or covers the whole day, as `on_holidays` says. When shifts
overlap, the one listed first in [shifts] is the desk on duty.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from typing import NamedTuple, Optional

from models.work_calendar import (ALL_DAY, ALWAYS, ALWAYS_NAME, TICK, Calendar, SettingError,
                                  parse_dates, parse_time)

DAY_DESK, NIGHT_DESK = "物业服务中心", "监控中心"
# on_holidays: shut; its start–end whatever the weekday (a holiday-cover desk); 00:00–24:00.
CLOSED, OPEN, WHOLE_DAY = "closed", "open", "all_day"
EVERY_DAY = frozenset(range(1, 8))                        # ISO weekdays, Monday 1
DEFAULT_SHIFTS = {"day": {"desk": DAY_DESK, "start": "09:00", "end": "17:30"},
                  "night": {"desk": NIGHT_DESK, "start": "17:30", "end": "09:00"}}
SHIFT_KEYS = ("desk", "start", "end", "weekdays", "on_holidays")


@dataclass(frozen=True)
class Shift:
    """One desk's working hours, with the plan's holidays and extra working days (调休)."""
    name: str
    desk: str
    start: time
    end: time
    weekdays: frozenset[int] = EVERY_DAY
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    on_holidays: str = OPEN

    @cached_property
    def calendar(self) -> Calendar:
        """When this shift is on duty, as a calendar (also usable as an SLA calendar)."""
        hours = ((self.start, self.end),)
        week = tuple(hours if day in self.weekdays else () for day in range(1, 8))
        # all_day keeps the shift's own hours too, so a night desk covering a holiday still
        # works on into the next morning and hands over at its usual time.
        on_holiday = {CLOSED: (), OPEN: hours, WHOLE_DAY: ALL_DAY + hours}[self.on_holidays]
        # An extra working day (调休) is worked like a Monday: a weekend-only desk stays shut.
        return Calendar(week, self.holidays, on_holiday, self.workdays)


class Change(NamedTuple):
    """A handover: at `at` the `outgoing` desk gives way to `incoming` (None: nobody on duty)."""
    at: datetime
    outgoing: Optional[Shift]
    incoming: Optional[Shift]


@dataclass(frozen=True)
class ShiftPlan:
    """All shifts, in the order of [shifts]; the first one open at an instant is on duty."""
    shifts: tuple[Shift, ...]

    def shift(self, name: str) -> Shift:
        """The shift called `name`; KeyError if there is none."""
        for shift in self.shifts:
            if shift.name == name:
                return shift
        raise KeyError(name)

    def on_duty(self, now: datetime) -> Optional[Shift]:
        """The shift on duty at `now`; None if no shift covers it."""
        return next((s for s in self.shifts if s.calendar.is_open(now)), None)

    def open_shifts(self, now: datetime) -> frozenset[str]:
        """Names of every shift open at `now` (several when shifts overlap)."""
        return frozenset(s.name for s in self.shifts if s.calendar.is_open(now))

    def staff_on_duty(self, shift_name: str, now: datetime) -> bool:
        """Whether staff of `shift_name` work now; staff on no shift ("") always do."""
        return not shift_name or shift_name in self.open_shifts(now)

    def calendar(self, name: str) -> Calendar:
        """An SLA calendar by name: "always" (the clock never stops) or a shift's hours."""
        return ALWAYS if name == ALWAYS_NAME else self.shift(name).calendar

    def changes_between(self, after: datetime, until: datetime) -> list[Change]:
        """Every change of the desk on duty in (after, until], oldest first."""
        changes, current = [], self.on_duty(after)
        for at in self._boundaries(after, until):
            incoming = self.on_duty(at)
            if incoming != current:
                changes.append(Change(at, current, incoming))
                current = incoming
        return changes

    def latest_change(self, after: datetime, until: datetime) -> Optional[Change]:
        """The newest change in (after, until]: after downtime, hand over once, not per miss."""
        changes = self.changes_between(after, until)
        return changes[-1] if changes else None

    def _boundaries(self, after: datetime, until: datetime) -> list[datetime]:
        """Instants in (after, until] where some shift opens or closes, sorted."""
        found = {edge for s in self.shifts for span in s.calendar.spans(after, until + TICK)
                 for edge in span if after < edge <= until}
        return sorted(found)


def plan_from_config(raw: Optional[dict]) -> ShiftPlan:
    """[shifts] as a ShiftPlan; without shift tables, the default day and night desks."""
    raw = dict(raw or {})
    holidays = parse_dates("shifts.holidays", raw.pop("holidays", []))
    workdays = parse_dates("shifts.workdays", raw.pop("workdays", []))
    if holidays & workdays:
        raise SettingError(f"shifts.workdays: {min(holidays & workdays)} is also a holiday")
    tables = raw or DEFAULT_SHIFTS
    return ShiftPlan(tuple(_shift(name, table, holidays, workdays)
                           for name, table in tables.items()))


def _shift(name: str, table, holidays: frozenset, workdays: frozenset) -> Shift:
    """One [shifts.<name>] table, checked; errors name the key."""
    key = f"shifts.{name}"
    if not isinstance(table, dict):
        raise SettingError(f"{key} is not a known setting (shifts are tables: [{key}])")
    if name == ALWAYS_NAME:
        raise SettingError(f'{key}: "{ALWAYS_NAME}" is reserved for the clock that never stops')
    unknown = sorted(set(table) - set(SHIFT_KEYS))
    if unknown:
        raise SettingError(f"{key}.{unknown[0]} is not a known setting")
    for required in ("desk", "start", "end"):
        if required not in table:
            raise SettingError(f"{key}.{required} is missing")
    desk = table["desk"]
    if not isinstance(desk, str) or not desk.strip():
        raise SettingError(f"{key}.desk must be a non-empty string")
    return Shift(name, desk, parse_time(f"{key}.start", table["start"]),
                 parse_time(f"{key}.end", table["end"]),
                 _weekdays(f"{key}.weekdays", table.get("weekdays", sorted(EVERY_DAY))),
                 holidays, workdays, _on_holidays(f"{key}.on_holidays", table))


def _weekdays(key: str, value) -> frozenset[int]:
    if not isinstance(value, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in value):
        raise SettingError(f"{key} must be a list of weekdays 1 (Monday) to 7 (Sunday)")
    return frozenset(value)


def _on_holidays(key: str, table: dict) -> str:
    value = table.get("on_holidays", OPEN)
    if value not in (CLOSED, OPEN, WHOLE_DAY):
        raise SettingError(f'{key} must be "{CLOSED}", "{OPEN}" or "{WHOLE_DAY}"')
    return value
