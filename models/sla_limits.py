"""SLA limits and the [sla] settings they come from. Pure: plain dicts, as read from TOML, in.

Precedence, later wins: built-in defaults ← [sla] ← [sla.<priority>] ← [sla.types.<fault type>]
← [sla.types.<fault type>.<priority>]. So a fault type's own limit beats the priority's (a
4-hour 水电 limit also holds for urgent 水电 orders) unless the type sets one for that priority.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Iterable, Iterator, Optional

from models.work_calendar import ALWAYS_NAME, SettingError, parse_time

# The same strings as models.orders.URGENT / NORMAL; repeated so this module needs no peewee.
URGENT, NORMAL = "urgent", "normal"
PRIORITIES = (URGENT, NORMAL)
SURVEY_DEFAULTS = {"survey_remind_hours": 24, "survey_close_hours": 48}   # [sla] only


@dataclass(frozen=True)
class Limits:
    """The SLA for one kind of order; minutes are business minutes of `calendar`."""
    accept_minutes: int = 5            # dispatched → accepted, else re-dispatched
    arrive_minutes: int = 15           # reported → on site (接报15分钟到场)
    complete_minutes: int = 24 * 60    # reported → completed; 0: no limit of its own
    same_day: bool = True              # dispatched before the cutoff: done by same_day_due
    same_day_cutoff: time = time(14, 0)
    same_day_due: time = time(17, 0)
    max_accept_misses: int = 2         # the timed-out acceptance that reaches this escalates
    escalate_engineer_minutes: int = 0       # after the first breach: remind the engineer,
    escalate_supervisor_minutes: int = 30    # then tell the supervisor,
    escalate_leader_minutes: int = 90        # then the leader (an hour after the supervisor)
    calendar: str = ALWAYS_NAME              # "always" or the name of a shift in [shifts]


FIELDS = {f.name: f for f in dataclasses.fields(Limits)}
# The smallest value each whole-number setting may take.
MINIMUM = {"accept_minutes": 1, "arrive_minutes": 1, "max_accept_misses": 1}
ESCALATION_KEYS = ("escalate_engineer_minutes", "escalate_supervisor_minutes",
                   "escalate_leader_minutes")


def limits_for(fault_type: Optional[str], priority: str, config: Optional[dict] = None) -> Limits:
    """The limits for an order of this fault type (name) and priority under [sla] `config`."""
    return _resolve(fault_type, priority, config or {})[0]


def with_type_limits(config: dict, own: dict[str, dict]) -> dict:
    """`config` with each fault type's own limits (name → {setting: value}) laid over its
    [sla.types.<name>] table; a new dict, `config` is not changed. Priority tables still win."""
    if not own:
        return config
    types = dict(_table(config, "types", "sla"))
    for name, values in own.items():
        table = dict(_table(types, name, "sla.types"))
        if "complete_minutes" in values:
            table.pop("complete_hours", None)  # the two spell one setting
        table.update(values)
        types[name] = table
    return {**config, "types": types}


def check_sla_config(config: Optional[dict], calendars: Iterable[str] = (ALWAYS_NAME,)) -> None:
    """Raise SettingError naming the key if any table of [sla] is malformed (run at start-up)."""
    config = config or {}
    known = set(calendars)
    for fault_type in [None, *_table(config, "types", "sla")]:
        for priority in PRIORITIES:
            limits, origin = _resolve(fault_type, priority, config)
            if limits.calendar not in known:
                raise SettingError(f"{origin.get('calendar', 'sla.calendar')} names no calendar: "
                                   f"{limits.calendar!r} (known: {', '.join(sorted(known))})")
    survey_delays(config)


def survey_delays(config: Optional[dict]) -> tuple[timedelta, timedelta]:
    """(remind after, close unrated after) for the call-back survey, from [sla]."""
    config = config or {}
    remind, close = (_whole(f"sla.{name}", config.get(name, default), 1)
                     for name, default in SURVEY_DEFAULTS.items())
    if close <= remind:
        raise SettingError("sla.survey_close_hours must be more than sla.survey_remind_hours")
    return timedelta(hours=remind), timedelta(hours=close)


def _resolve(fault_type, priority, config) -> tuple[Limits, dict]:
    """The limits, and for each setting the key it came from (for error messages)."""
    values, origin = {}, {}
    for key, table, skip in _layers(fault_type, priority, config):
        for name, value in _settings(key, table, skip):
            values[name], origin[name] = value, f"{key}.{name}"
    limits = Limits(**values)
    _check_order(limits, origin)
    return limits, origin


def _layers(fault_type, priority, config) -> Iterator[tuple[str, dict, tuple]]:
    """(key, table, nested keys to skip) from the most general table to the most specific."""
    known_priority = priority in PRIORITIES
    yield "sla", config, ("types", *PRIORITIES, *SURVEY_DEFAULTS)
    if known_priority:
        yield f"sla.{priority}", _table(config, priority, "sla"), ()
    if fault_type:
        own = _table(_table(config, "types", "sla"), fault_type, "sla.types")
        yield f"sla.types.{fault_type}", own, PRIORITIES
        if known_priority:
            key = f"sla.types.{fault_type}"
            yield f"{key}.{priority}", _table(own, priority, key), ()


def _settings(key: str, table: dict, skip: tuple) -> Iterator[tuple[str, object]]:
    """The checked (field, value) pairs of one table; complete_hours becomes complete_minutes."""
    if "complete_hours" in table and "complete_minutes" in table:
        raise SettingError(f"{key}: set complete_hours or complete_minutes, not both")
    for name, value in table.items():
        if name in skip:
            continue
        if name == "complete_hours":
            yield "complete_minutes", 60 * _whole(f"{key}.{name}", value, 0)
        elif name in FIELDS:
            yield name, _value(f"{key}.{name}", value, FIELDS[name].default)
        else:
            raise SettingError(f"{key}.{name} is not a known setting")


def _value(key: str, value, default):
    """`value` checked against the kind of the built-in default."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SettingError(f"{key} must be true or false")
        return value
    if isinstance(default, int):
        return _whole(key, value, MINIMUM.get(key.rsplit(".", 1)[-1], 0))
    if isinstance(default, time):
        return parse_time(key, value)
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{key} must be a non-empty string")
    return value


def _whole(key: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingError(f"{key} must be a whole number of at least {minimum}")
    return value


def _table(parent: dict, name: str, key: str) -> dict:
    value = parent.get(name, {})
    if not isinstance(value, dict):
        raise SettingError(f"{key}.{name} must be a table")
    return value


def _check_order(limits: Limits, origin: dict) -> None:
    """Settings that must agree with each other: the cutoff before the due time, steps in order."""
    if limits.same_day_cutoff > limits.same_day_due:
        key = origin.get("same_day_cutoff", origin.get("same_day_due", "sla.same_day_cutoff"))
        raise SettingError(f"{key}: same_day_cutoff must not be after same_day_due")
    for before, name in zip(ESCALATION_KEYS, ESCALATION_KEYS[1:]):
        if getattr(limits, name) < getattr(limits, before):
            key = origin.get(name) or origin.get(before) or f"sla.{name}"
            raise SettingError(f"{key}: {name} must not be less than {before} "
                               "(escalation goes engineer → supervisor → leader)")
