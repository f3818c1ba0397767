"""The pure SLA rules: working calendars, and the limits with their overrides."""
from datetime import datetime, time, timedelta

import pytest

from models.sla_limits import Limits, check_sla_config, limits_for, survey_delays
from models.work_calendar import ALWAYS, Calendar, SettingError
from tests.sla_helpers import DAY_DESK, NIGHT_DESK, OCT, at, minutes


BUSINESS_TIME = {
    "always: wall-clock time": (ALWAYS, at(26, 10), at(26, 10, 30), (), minutes(30)),
    "a closed pause is cut out": (
        ALWAYS, at(26, 10), at(26, 10, 30), [(at(26, 10, 10), at(26, 10, 20))], minutes(20)),
    "a pause still open stops the clock": (
        ALWAYS, at(26, 10), at(26, 10, 30), [(at(26, 10, 10), None)], minutes(10)),
    "overlapping pauses count once": (
        ALWAYS, at(26, 10), at(26, 11),
        [(at(26, 10, 20), at(26, 10, 40)), (at(26, 10, 10), at(26, 10, 30))], minutes(30)),
    "day desk: evening to morning": (
        DAY_DESK, at(26, 16), at(27, 10), (), minutes(150)),
    "day desk: a weekend does not count": (
        DAY_DESK, at(27, 17), at(30, 9, 30), (), minutes(60)),
    "day desk: holidays and a weekend": (
        DAY_DESK, datetime(2026, 9, 30, 17), at(OCT[5], 10), (), minutes(90)),
    "day desk: an extra working Saturday counts": (
        DAY_DESK, at(OCT[10], 9), at(OCT[10], 12), (), minutes(180)),
    "day desk: a pause out of hours changes nothing": (
        DAY_DESK, at(26, 16), at(27, 10), [(at(26, 18), at(27, 8))], minutes(150)),
    "night desk: the morning and the evening": (
        NIGHT_DESK, at(26, 8), at(26, 18), (), minutes(90)),
    "night desk: across midnight": (
        NIGHT_DESK, at(26, 23), at(27, 1), (), minutes(120)),
    "night desk: a holiday keeps its morning, loses its night": (
        NIGHT_DESK, at(OCT[1], 8), at(OCT[2], 8), (), minutes(60)),
    "an end before the start is nothing": (ALWAYS, at(26, 11), at(26, 10), (), minutes(0)),
}


@pytest.mark.parametrize("calendar, start, end, pauses, expected", BUSINESS_TIME.values(),
                         ids=BUSINESS_TIME.keys())
def test_business_time(calendar, start, end, pauses, expected):
    assert calendar.business_time(start, end, pauses) == expected


ADD_BUSINESS_TIME = {
    "always: five minutes": (ALWAYS, at(26, 10), 5, (), at(26, 10, 5)),
    "a pause pushes the instant back": (
        ALWAYS, at(26, 10), 5, [(at(26, 10, 2), at(26, 10, 30))], at(26, 10, 33)),
    "an open pause: never, for now": (ALWAYS, at(26, 10), 5, [(at(26, 10, 2), None)], None),
    "an open pause after the instant does not matter": (
        ALWAYS, at(26, 10), 5, [(at(26, 10, 10), None)], at(26, 10, 5)),
    "day desk: continues next morning": (DAY_DESK, at(26, 17, 28), 5, (), at(27, 9, 3)),
    "day desk: over the weekend": (DAY_DESK, at(27, 17, 28), 5, (), at(30, 9, 3)),
    "day desk: over holidays and a weekend": (
        DAY_DESK, datetime(2026, 9, 30, 17), 60, (), at(OCT[5], 9, 30)),
    "day desk: used up exactly at closing time": (DAY_DESK, at(26, 17), 30, (), at(26, 17, 30)),
    "day desk: a start out of hours waits for the opening": (
        DAY_DESK, at(28, 10), 5, (), at(30, 9, 5)),
    "night desk: morning to evening": (NIGHT_DESK, at(26, 8, 50), 20, (), at(26, 17, 40)),
    "night desk: across midnight": (NIGHT_DESK, at(26, 23, 50), 20, (), at(27, 0, 10)),
    "no budget: the start itself": (DAY_DESK, at(28, 10), 0, (), at(28, 10)),
}


@pytest.mark.parametrize("calendar, start, budget, pauses, expected", ADD_BUSINESS_TIME.values(),
                         ids=ADD_BUSINESS_TIME.keys())
def test_add_business_time(calendar, start, budget, pauses, expected):
    assert calendar.add_business_time(start, minutes(budget), pauses) == expected
    if expected is not None:   # the two functions agree
        assert calendar.business_time(start, expected, pauses) == minutes(budget)


def test_a_calendar_without_hours_is_an_error_not_a_hang():
    with pytest.raises(ValueError, match="no business hours"):
        Calendar(week=((),) * 7).add_business_time(at(26, 10), minutes(5))


# ---- limits and their overrides

CONFIG = {"accept_minutes": 10, "complete_hours": 24,
          "urgent": {"accept_minutes": 3, "complete_hours": 4},
          "types": {"水电": {"complete_hours": 8, "urgent": {"complete_hours": 2}},
                    "网络": {"arrive_minutes": 60}}}

PRECEDENCE = {
    "[sla] over the defaults": (None, "normal", 10, 15, 24 * 60),
    "[sla.urgent] over [sla]": (None, "urgent", 3, 15, 4 * 60),
    "[sla.types.水电] over [sla]": ("水电", "normal", 10, 15, 8 * 60),
    "[sla.types.水电.urgent] over all": ("水电", "urgent", 3, 15, 2 * 60),
    "a type without its own limit keeps the priority's": ("网络", "urgent", 3, 60, 4 * 60),
    "an unlisted type is the plain priority": ("门窗家具", "urgent", 3, 15, 4 * 60),
    "an unknown priority has no table": ("水电", "whenever", 10, 15, 8 * 60),
}


@pytest.mark.parametrize("fault_type, priority, accept, arrive, complete", PRECEDENCE.values(),
                         ids=PRECEDENCE.keys())
def test_override_precedence(fault_type, priority, accept, arrive, complete):
    limits = limits_for(fault_type, priority, CONFIG)
    assert (limits.accept_minutes, limits.arrive_minutes, limits.complete_minutes) == \
        (accept, arrive, complete)


def test_the_type_beats_the_priority():
    config = {"urgent": {"complete_hours": 4}, "types": {"空调": {"complete_hours": 48}}}
    assert limits_for("空调", "urgent", config).complete_minutes == 48 * 60


def test_defaults_and_setting_kinds():
    assert limits_for(None, "normal") == limits_for("水电", "urgent", {}) == Limits()
    limits = limits_for(None, "normal", {"same_day_cutoff": "13:30", "same_day_due": time(18),
                                         "same_day": False, "calendar": "day"})
    assert (limits.same_day_cutoff, limits.same_day_due, limits.same_day, limits.calendar) == \
        (time(13, 30), time(18), False, "day")


BAD_SLA = {
    "zero accept minutes": ({"accept_minutes": 0}, "sla.accept_minutes"),
    "a string for a number": ({"accept_minutes": "5"}, "sla.accept_minutes"),
    "a bool for a number": ({"max_accept_misses": True}, "sla.max_accept_misses"),
    "a misspelt key": ({"acept_minutes": 5}, "sla.acept_minutes"),
    "a priority that is not a table": ({"urgent": 5}, "sla.urgent"),
    "a negative type limit": ({"types": {"水电": {"complete_hours": -1}}},
                              "sla.types.水电.complete_hours"),
    "hours and minutes both": ({"types": {"水电": {"complete_hours": 1, "complete_minutes": 30}}},
                               "sla.types.水电"),
    "no such time": ({"same_day_cutoff": "25:00"}, "sla.same_day_cutoff"),
    "cutoff after the due time": ({"same_day_cutoff": "18:00"}, "sla.same_day_cutoff"),
    "steps out of order": ({"escalate_supervisor_minutes": 200},
                           "sla.escalate_supervisor_minutes"),
    "a word for a flag": ({"same_day": "yes"}, "sla.same_day"),
    "types inside a priority": ({"urgent": {"types": {}}}, "sla.urgent.types"),
    "survey settings only at the top": (
        {"types": {"水电": {"urgent": {"survey_remind_hours": 1}}}},
        "sla.types.水电.urgent.survey_remind_hours"),
    "types not a table": ({"types": ["水电"]}, "sla.types"),
    "an unknown calendar": ({"calendar": "weekend"}, "sla.calendar"),
    "an unknown calendar for a type": ({"types": {"空调": {"calendar": "office"}}},
                                       "sla.types.空调.calendar"),
    "closing before reminding": ({"survey_close_hours": 12}, "sla.survey_close_hours"),
}


@pytest.mark.parametrize("config, key", BAD_SLA.values(), ids=BAD_SLA.keys())
def test_bad_settings_name_their_key(config, key):
    with pytest.raises(SettingError) as error:
        check_sla_config(config, calendars=("always", "day", "night"))
    assert str(error.value).startswith(key)


def test_a_good_config_passes_the_check():
    check_sla_config(CONFIG)
    check_sla_config({"calendar": "day"}, calendars=("always", "day"))


def test_survey_delays():
    assert survey_delays({}) == (timedelta(hours=24), timedelta(hours=48))
    assert survey_delays({"survey_remind_hours": 2, "survey_close_hours": 6}) == \
        (timedelta(hours=2), timedelta(hours=6))
