"""The pure shift rules: who is on duty, handovers (交接班) and the [shifts] settings."""
import tomllib
from datetime import date, datetime, time

import pytest

from models.shifts import DAY_DESK, NIGHT_DESK, plan_from_config
from models.work_calendar import ALWAYS, SettingError

DEFAULT = plan_from_config(None)
HOLIDAY = date(2026, 10, 1)                      # a Thursday
CALM_HOLIDAYS = plan_from_config({               # the monitoring centre covers holidays
    "holidays": [HOLIDAY],
    "day": {"desk": DAY_DESK, "start": "09:00", "end": "17:30", "on_holidays": "closed"},
    "night": {"desk": NIGHT_DESK, "start": "17:30", "end": "09:00", "on_holidays": "all_day"}})
NOBODY_ON_HOLIDAYS = plan_from_config({
    "holidays": ["2026-10-01"],
    "day": {"desk": DAY_DESK, "start": "09:00", "end": "17:30", "on_holidays": "closed"},
    "night": {"desk": NIGHT_DESK, "start": "17:30", "end": "09:00", "on_holidays": "closed"}})
WEEKDAYS_ONLY = plan_from_config({       # a weekend desk; Saturday 10 October is worked (调休)
    "holidays": ["2026-10-01"], "workdays": ["2026-10-10"],
    "day": {"desk": DAY_DESK, "start": "09:00", "end": "17:30", "weekdays": [1, 2, 3, 4, 5],
            "on_holidays": "closed"},
    "weekend": {"desk": NIGHT_DESK, "start": "09:00", "end": "17:30", "weekdays": [6, 7]},
    "night": {"desk": NIGHT_DESK, "start": "17:30", "end": "09:00"}})
OVERLAP = plan_from_config({             # the day desk comes early; listed first, it leads
    "day": {"desk": DAY_DESK, "start": "08:30", "end": "17:30"},
    "night": {"desk": NIGHT_DESK, "start": "17:00", "end": "09:00"}})


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute)


ON_DUTY = {
    "before nine: the night desk": (DEFAULT, at(11, 26, 8, 59), "night"),
    "nine: the day desk": (DEFAULT, at(11, 26, 9), "day"),
    "a minute before the change": (DEFAULT, at(11, 26, 17, 29), "day"),
    "17:30: the night desk": (DEFAULT, at(11, 26, 17, 30), "night"),
    "just before midnight": (DEFAULT, at(11, 26, 23, 59), "night"),
    "midnight": (DEFAULT, at(11, 27, 0), "night"),
    "a weekend is like any day": (DEFAULT, at(11, 28, 10), "day"),
    "holiday: the monitoring centre all day": (CALM_HOLIDAYS, at(10, 1, 10), "night"),
    "the night before a holiday": (CALM_HOLIDAYS, at(9, 30, 23), "night"),
    "the holiday's morning": (CALM_HOLIDAYS, at(10, 1, 8), "night"),
    "the night after a holiday runs on": (CALM_HOLIDAYS, at(10, 2, 8), "night"),
    "the day desk is back after the holiday": (CALM_HOLIDAYS, at(10, 2, 9), "day"),
    "nobody covers the holiday": (NOBODY_ON_HOLIDAYS, at(10, 1, 10), None),
    "the night before still ends at nine": (NOBODY_ON_HOLIDAYS, at(10, 1, 8, 59), "night"),
    "the holiday's night is off too": (NOBODY_ON_HOLIDAYS, at(10, 1, 23), None),
    "weekday desk on a Thursday": (WEEKDAYS_ONLY, at(11, 26, 10), "day"),
    "weekend desk on a Saturday": (WEEKDAYS_ONLY, at(11, 28, 10), "weekend"),
    "a worked Saturday: the weekday desk": (WEEKDAYS_ONLY, at(10, 10, 10), "day"),
    "a holiday Thursday: the weekend desk covers it (its hours, any weekday)": (
        WEEKDAYS_ONLY, at(10, 1, 10), "weekend"),
    "overlap: the first listed leads": (OVERLAP, at(11, 26, 8, 45), "day"),
    "overlap in the evening": (OVERLAP, at(11, 26, 17, 15), "day"),
}


@pytest.mark.parametrize("plan, now, expected", ON_DUTY.values(), ids=ON_DUTY.keys())
def test_on_duty(plan, now, expected):
    shift = plan.on_duty(now)
    assert (shift.name if shift else None) == expected


def test_desks_and_default_hours():
    day, night = DEFAULT.shifts
    assert (day.name, day.desk, day.start, day.end) == ("day", DAY_DESK, time(9), time(17, 30))
    assert (night.name, night.desk, night.start, night.end) == \
        ("night", NIGHT_DESK, time(17, 30), time(9))


def names(changes):
    return [(c.at, c.outgoing and c.outgoing.name, c.incoming and c.incoming.name)
            for c in changes]


CHANGES = {
    "the morning handover": (DEFAULT, at(11, 26, 8), at(11, 26, 9),
                             [(at(11, 26, 9), "night", "day")]),
    "the start is excluded": (DEFAULT, at(11, 26, 9), at(11, 26, 10), []),
    "the evening handover": (DEFAULT, at(11, 26, 17), at(11, 26, 18),
                             [(at(11, 26, 17, 30), "day", "night")]),
    "two days": (DEFAULT, at(11, 26, 8), at(11, 28, 8), [
        (at(11, 26, 9), "night", "day"), (at(11, 26, 17, 30), "day", "night"),
        (at(11, 27, 9), "night", "day"), (at(11, 27, 17, 30), "day", "night")]),
    "nothing in an empty range": (DEFAULT, at(11, 26, 9), at(11, 26, 9), []),
    "the monitoring centre keeps the holiday": (CALM_HOLIDAYS, at(9, 30, 8), at(10, 2, 12), [
        (at(9, 30, 9), "night", "day"), (at(9, 30, 17, 30), "day", "night"),
        (at(10, 2, 9), "night", "day")]),
    "handing over to nobody and back": (NOBODY_ON_HOLIDAYS, at(10, 1, 8), at(10, 2, 12), [
        (at(10, 1, 9), "night", None), (at(10, 2, 9), None, "day")]),
    "an overlap hands over once": (OVERLAP, at(11, 26, 8), at(11, 26, 18), [
        (at(11, 26, 8, 30), "night", "day"), (at(11, 26, 17, 30), "day", "night")]),
}


@pytest.mark.parametrize("plan, after, until, expected", CHANGES.values(), ids=CHANGES.keys())
def test_changes_between(plan, after, until, expected):
    assert names(plan.changes_between(after, until)) == expected


def test_after_downtime_the_latest_change_only():
    missed = DEFAULT.changes_between(at(11, 20, 12), at(11, 27, 12))
    assert len(missed) == 14
    assert names([DEFAULT.latest_change(at(11, 20, 12), at(11, 27, 12))]) == \
        [(at(11, 27, 9), "night", "day")]
    assert DEFAULT.latest_change(at(11, 27, 9), at(11, 27, 12)) is None


@pytest.mark.parametrize("shift_name, now, expected", [
    ("", at(11, 26, 3), True),           # staff on no roster work whenever they are asked
    ("day", at(11, 26, 10), True),
    ("night", at(11, 26, 10), False),
    ("night", at(11, 26, 3), True),
    ("nobody", at(11, 26, 10), False),
])
def test_staff_on_duty(shift_name, now, expected):
    assert DEFAULT.staff_on_duty(shift_name, now) is expected


def test_overlapping_shifts_are_both_open():
    assert OVERLAP.open_shifts(at(11, 26, 8, 45)) == {"day", "night"}
    assert OVERLAP.open_shifts(at(11, 26, 12)) == {"day"}


def test_calendars_by_name():
    assert DEFAULT.calendar("always") is ALWAYS
    day = DEFAULT.calendar("day")
    assert day.is_open(at(11, 26, 9)) and not day.is_open(at(11, 26, 17, 30))
    assert CALM_HOLIDAYS.calendar("day").is_working_day(date(2026, 9, 30))
    assert not CALM_HOLIDAYS.calendar("day").is_working_day(HOLIDAY)
    with pytest.raises(KeyError):
        DEFAULT.calendar("weekend")


TOML = """
holidays = [2026-10-01, "2026-10-02"]
workdays = ["2026-10-10"]

[day]
desk = "物业服务中心"
start = 08:30:00
end = "17:30"
on_holidays = "closed"

[night]
desk = "监控中心"
start = "17:30"
end = "08:30"
on_holidays = "all_day"

[round_the_clock]
desk = "保卫处"
start = "00:00"
end = "24:00"
"""


def test_a_toml_section():
    plan = plan_from_config(tomllib.loads(TOML))
    assert [s.name for s in plan.shifts] == ["day", "night", "round_the_clock"]
    day, night, guard = plan.shifts
    assert (day.start, day.end, day.on_holidays) == (time(8, 30), time(17, 30), "closed")
    assert day.holidays == {date(2026, 10, 1), date(2026, 10, 2)}
    assert day.workdays == {date(2026, 10, 10)}
    assert plan.on_duty(at(10, 2, 12)).name == "night"
    assert all(guard.calendar.is_open(at(11, 26, hour)) for hour in range(24))
    # Always open, but listed last: the guard desk never leads while another one is open.
    assert names(plan.changes_between(at(11, 26, 0), at(11, 27, 0))) == [
        (at(11, 26, 8, 30), "night", "day"), (at(11, 26, 17, 30), "day", "night")]


def test_holidays_alone_keep_the_default_desks():
    plan = plan_from_config({"holidays": ["2026-10-01"]})
    assert [s.name for s in plan.shifts] == ["day", "night"]
    assert plan.shifts[0].holidays == {HOLIDAY}


def desk(**fields):
    return {"desk": DAY_DESK, "start": "09:00", "end": "17:30", **fields}


BAD = {
    "a time without minutes": ({"day": desk(start="9")}, "shifts.day.start"),
    "no such time": ({"night": desk(end="24:30")}, "shifts.night.end"),
    "a number for a time": ({"day": desk(end=1730)}, "shifts.day.end"),
    "no desk": ({"day": {"start": "09:00", "end": "17:30"}}, "shifts.day.desk"),
    "an empty desk": ({"day": desk(desk=" ")}, "shifts.day.desk"),
    "no start": ({"day": {"desk": DAY_DESK, "end": "17:30"}}, "shifts.day.start"),
    "a misspelt key": ({"day": desk(desc="x")}, "shifts.day.desc"),
    "a shift that is not a table": ({"day": "09:00-17:30"}, "shifts.day"),
    "weekday zero": ({"day": desk(weekdays=[0, 1])}, "shifts.day.weekdays"),
    "weekdays not a list": ({"day": desk(weekdays="1-5")}, "shifts.day.weekdays"),
    "an unknown holiday rule": ({"day": desk(on_holidays="maybe")}, "shifts.day.on_holidays"),
    "holidays not a list": ({"holidays": "2026-10-01"}, "shifts.holidays"),
    "a holiday that is no date": ({"holidays": ["10/01"]}, "shifts.holidays"),
    "a workday that is a holiday": ({"holidays": ["2026-10-01"], "workdays": ["2026-10-01"]},
                                    "shifts.workdays"),
    "the reserved name": ({"always": desk()}, "shifts.always"),
}


@pytest.mark.parametrize("raw, key", BAD.values(), ids=BAD.keys())
def test_bad_settings_name_their_key(raw, key):
    with pytest.raises(SettingError) as error:
        plan_from_config(raw)
    assert str(error.value).startswith(key)
