"""The pure SLA rules: working calendars, limits and their overrides, deadlines, breaches,
acceptance timeouts, the escalation ladder and the call-back survey. Explicit datetimes, no I/O."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from models.work_calendar import ALWAYS, Calendar, SettingError
from models.lifecycle import (ACCEPTED, ARRIVED, CANCELLED, CLOSED, COMPLETED, DISPATCHED,
                              SUBMITTED, SUSPENDED)
from models.sla import (ACCEPT, ARRIVE, COMPLETE, ENGINEER_REMINDER, ESCALATE,
                        ESCALATION_STEPS, LEADER, REDISPATCH, SUPERVISOR, OrderClock,
                        accept_miss_action, accept_timed_out, breaches, deadlines,
                        next_escalation, suspensions_from)
from models.sla_limits import Limits, check_sla_config, limits_for, survey_delays
from models.survey import CLOSE_UNRATED, REMIND, survey_step


def at(day, hour, minute=0):
    """A naive local instant; `day` is the day of November 2026 (the 26th is a Thursday)."""
    return datetime(2026, 11, day, hour, minute) if isinstance(day, int) \
        else datetime.combine(day, time(hour, minute))


def minutes(n):
    return timedelta(minutes=n)


OCT = {n: date(2026, 10, n) for n in range(1, 32)}     # 1 October 2026 is a Thursday
DESK = ((time(9), time(17, 30)),)
NIGHT = ((time(17, 30), time(9)),)
# The day desk's SLA hours: Monday to Friday, closed on 1–2 October, open Saturday 10 October.
DAY_DESK = Calendar(week=(DESK,) * 5 + ((),) * 2, holidays=frozenset({OCT[1], OCT[2]}),
                    workdays=frozenset({OCT[10]}))
NIGHT_DESK = Calendar(week=(NIGHT,) * 7, holidays=frozenset({OCT[1]}))

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


# ---- deadlines

def clock(**facts):
    """A water order reported at 10:00 on Thursday 26 November and dispatched at 10:02."""
    base = OrderClock(submitted_at=at(26, 10), status=DISPATCHED, dispatched_at=at(26, 10, 2))
    return replace(base, **facts)


def test_deadlines_of_a_plain_order():
    due = deadlines(clock(), Limits(), ALWAYS)
    assert (due.accept_by, due.arrive_by, due.complete_by) == \
        (at(26, 10, 7), at(26, 10, 15), at(26, 17))


NEXT_DAY = at(27, 13)   # reported at 13:00 on the 26th plus the default 24-hour limit
SAME_DAY = {
    "dispatched 13:59: done by 17:00": (dict(dispatched_at=at(26, 13, 59)), {}, ALWAYS, at(26, 17)),
    "dispatched 14:00: the type limit only": (dict(dispatched_at=at(26, 14)), {}, ALWAYS, NEXT_DAY),
    "dispatched 14:01: the type limit only": (
        dict(dispatched_at=at(26, 14, 1)), {}, ALWAYS, NEXT_DAY),
    "the first dispatch decides, not a re-dispatch": (
        dict(first_dispatched_at=at(26, 13, 30), dispatched_at=at(26, 15)), {}, ALWAYS,
        at(26, 17)),
    "the rule switched off": (dict(dispatched_at=at(26, 13, 10)), {"same_day": False}, ALWAYS,
                              NEXT_DAY),
    "a shorter type limit wins": (
        dict(dispatched_at=at(26, 13, 10)), {"complete_minutes": 120}, ALWAYS, at(26, 15)),
    "no type limit: the rule alone": (
        dict(dispatched_at=at(26, 14, 30)), {"complete_minutes": 0}, ALWAYS, None),
    "a suspension pushes 17:00 back": (
        dict(dispatched_at=at(26, 13), suspensions=((at(26, 14), at(26, 15)),)), {}, ALWAYS,
        at(26, 18)),
    "an open suspension stops every clock": (
        dict(dispatched_at=at(26, 13), suspensions=((at(26, 14), None),)), {}, ALWAYS, None),
    "day desk: a suspension in hours pushes it back": (
        dict(dispatched_at=at(26, 13), suspensions=((at(26, 12), at(26, 13, 30)),)),
        {"complete_minutes": 0}, DAY_DESK, at(26, 17, 30)),
    "day desk: no same-day rule on a Saturday": (
        dict(submitted_at=at(28, 10), dispatched_at=at(28, 10)), {"complete_minutes": 60},
        DAY_DESK, at(30, 10)),
    "day desk: no same-day rule on a holiday": (
        dict(submitted_at=at(OCT[1], 10), dispatched_at=at(OCT[1], 10)), {"complete_minutes": 0},
        DAY_DESK, None),
    "day desk: dispatched before opening": (
        dict(submitted_at=at(26, 8), dispatched_at=at(26, 8)), {"complete_minutes": 0},
        DAY_DESK, at(26, 17)),
}


@pytest.mark.parametrize("facts, limits, calendar, expected", SAME_DAY.values(),
                         ids=SAME_DAY.keys())
def test_complete_by_and_the_same_day_rule(facts, limits, calendar, expected):
    order = clock(**{"submitted_at": at(26, 13), **facts})
    assert deadlines(order, replace(Limits(), **limits), calendar).complete_by == expected


def test_suspensions_from_the_timeline():
    timeline = [("accept", at(26, 10, 5)), ("suspend", at(26, 11)), ("resume", at(26, 12)),
                ("progress", at(26, 13)), ("suspend", at(26, 14))]
    assert suspensions_from(timeline) == ((at(26, 11), at(26, 12)), (at(26, 14), None))
    assert suspensions_from(timeline[:3]) == ((at(26, 11), at(26, 12)),)
    assert suspensions_from([]) == ()


# ---- breaches and acceptance timeouts

BREACHES = {
    "at the deadline is still in time": (dict(), at(26, 10, 7), ()),
    "a minute late to accept": (dict(), at(26, 10, 8), (ACCEPT,)),
    "late to accept and to arrive": (dict(), at(26, 10, 16), (ACCEPT, ARRIVE)),
    "accepted, late to arrive": (dict(status=ACCEPTED, accepted_at=at(26, 10, 5)), at(26, 10, 16),
                                 (ARRIVE,)),
    "on site, late to finish": (
        dict(status=ARRIVED, accepted_at=at(26, 10, 5), arrived_at=at(26, 10, 14)),
        at(26, 17, 1), (COMPLETE,)),
    "queued, never dispatched: the report's clocks run": (
        dict(status=SUBMITTED, dispatched_at=None), at(26, 10, 16), (ARRIVE,)),
    "rejected and waiting: no acceptance clock": (
        dict(status=SUBMITTED), at(26, 10, 16), (ARRIVE,)),
    "completed": (dict(status=COMPLETED, arrived_at=at(26, 10, 14), completed_at=at(26, 18)),
                  at(26, 19), ()),
    "closed": (dict(status=CLOSED), at(27, 19), ()),
    "cancelled": (dict(status=CANCELLED), at(26, 19), ()),
    "suspended before the deadline: stopped": (
        dict(status=SUSPENDED, arrived_at=at(26, 10, 10), suspensions=((at(26, 10, 30), None),)),
        at(26, 18), ()),
    "suspended after the deadline: still overdue": (
        dict(status=SUSPENDED, arrived_at=at(26, 10, 10), suspensions=((at(26, 17, 30), None),)),
        at(26, 18), (COMPLETE,)),
    "resumed: the pause is added on": (
        dict(status=ARRIVED, arrived_at=at(26, 10, 10), suspensions=((at(26, 12), at(26, 14)),)),
        at(26, 19), ()),
    "resumed, then late after all": (
        dict(status=ARRIVED, arrived_at=at(26, 10, 10), suspensions=((at(26, 12), at(26, 14)),)),
        at(26, 19, 1), (COMPLETE,)),
}


@pytest.mark.parametrize("facts, now, expected", BREACHES.values(), ids=BREACHES.keys())
def test_breaches(facts, now, expected):
    assert breaches(clock(**facts), Limits(), ALWAYS, now) == expected


@pytest.mark.parametrize("facts, calendar, now, expected", [
    (dict(), ALWAYS, at(26, 10, 7), False),
    (dict(), ALWAYS, at(26, 10, 8), True),
    (dict(status=ACCEPTED, accepted_at=at(26, 10, 9)), ALWAYS, at(26, 10, 30), False),
    (dict(status=SUBMITTED), ALWAYS, at(26, 10, 30), False),     # back from a reject
    (dict(dispatched_at=at(26, 17, 28)), DAY_DESK, at(26, 23), False),   # the desk is shut
    (dict(dispatched_at=at(26, 17, 28)), DAY_DESK, at(27, 9, 3), False),
    (dict(dispatched_at=at(26, 17, 28)), DAY_DESK, at(27, 9, 4), True),
])
def test_accept_timed_out(facts, calendar, now, expected):
    assert accept_timed_out(clock(**facts), Limits(), calendar, now) is expected


@pytest.mark.parametrize("misses, max_misses, expected", [
    (0, 2, REDISPATCH), (1, 2, ESCALATE), (5, 2, ESCALATE),
    (1, 3, REDISPATCH), (2, 3, ESCALATE), (0, 1, ESCALATE),
])
def test_accept_misses(misses, max_misses, expected):
    order = clock(accept_misses=misses)
    assert accept_miss_action(order, replace(Limits(), max_accept_misses=max_misses)) == expected


def test_two_missed_acceptances_then_escalate():
    """The worker's loop: re-dispatch on the first miss, escalate on the second."""
    order, now, actions = clock(), at(26, 10, 2), []
    while len(actions) < 2:
        now += minutes(1)
        if accept_timed_out(order, Limits(), ALWAYS, now):
            actions.append((now, accept_miss_action(order, Limits())))
            order = replace(order, dispatched_at=now, accept_misses=order.accept_misses + 1)
    assert actions == [(at(26, 10, 8), REDISPATCH), (at(26, 10, 14), ESCALATE)]


# ---- the escalation ladder

def on_site(**facts):
    """Accepted and on site in time; the 17:00 same-day deadline is what runs out."""
    return clock(**{"status": ARRIVED, "accepted_at": at(26, 10, 5),
                    "arrived_at": at(26, 10, 14), **facts})


def walk(order, start, end, limits=Limits(), calendar=ALWAYS):
    """Run the escalation check each minute like the worker, recording what is sent."""
    sent, now = [], start
    while now <= end:
        step = next_escalation(order, limits, calendar, now)
        if step:
            sent.append((now, step))
            order = replace(order, escalations_sent=order.escalations_sent | {step})
        now += minutes(1)
    return sent


def test_each_step_once_and_in_order():
    assert walk(on_site(), at(26, 16), at(26, 23)) == [
        (at(26, 17, 1), ENGINEER_REMINDER), (at(26, 17, 30), SUPERVISOR), (at(26, 18, 30), LEADER)]


def test_configured_gaps():
    limits = limits_for(None, "normal", {"escalate_engineer_minutes": 10,
                                         "escalate_supervisor_minutes": 20,
                                         "escalate_leader_minutes": 20})
    assert walk(on_site(), at(26, 16), at(26, 23), limits) == [
        (at(26, 17, 10), ENGINEER_REMINDER), (at(26, 17, 20), SUPERVISOR),
        (at(26, 17, 21), LEADER)]   # one step per check


ALL = frozenset(ESCALATION_STEPS)
LADDER = {
    "not overdue yet": (dict(), (), at(26, 16, 59), None),
    "overdue: the engineer first": (dict(), (), at(26, 17, 1), ENGINEER_REMINDER),
    "all due at once: still the engineer first": (dict(), (), at(26, 23), ENGINEER_REMINDER),
    "the supervisor waits 30 minutes": (dict(), {ENGINEER_REMINDER}, at(26, 17, 29), None),
    "then the supervisor": (dict(), {ENGINEER_REMINDER}, at(26, 17, 30), SUPERVISOR),
    "the leader waits another hour": (
        dict(), {ENGINEER_REMINDER, SUPERVISOR}, at(26, 18, 29), None),
    "then the leader": (dict(), {ENGINEER_REMINDER, SUPERVISOR}, at(26, 18, 30), LEADER),
    "nothing after the leader": (dict(), ALL, at(27, 9), None),
    "a skipped step is sent before the next": (dict(), {SUPERVISOR}, at(26, 19), ENGINEER_REMINDER),
    "completed: nothing": (dict(status=COMPLETED, completed_at=at(26, 18)), (), at(26, 19), None),
    "cancelled: nothing": (dict(status=CANCELLED), (), at(26, 19), None),
    "suspended after the breach: the reminder still goes": (
        dict(status=SUSPENDED, suspensions=((at(26, 17, 10), None),)), (), at(26, 17, 11),
        ENGINEER_REMINDER),
    "suspended after the breach: the ladder stops": (
        dict(status=SUSPENDED, suspensions=((at(26, 17, 10), None),)), {ENGINEER_REMINDER},
        at(26, 23), None),
    "resumed: the pause is added on, not yet": (
        dict(suspensions=((at(26, 17, 10), at(26, 18, 10)),)), {ENGINEER_REMINDER},
        at(26, 18, 29), None),
    "resumed: the pause is added on, now": (
        dict(suspensions=((at(26, 17, 10), at(26, 18, 10)),)), {ENGINEER_REMINDER},
        at(26, 18, 30), SUPERVISOR),
    "late to accept only: that is the re-dispatch's business": (
        dict(status=DISPATCHED, accepted_at=None, arrived_at=None), (), at(26, 10, 10), None),
    "late to arrive starts the ladder": (
        dict(status=ACCEPTED, arrived_at=None), (), at(26, 10, 16), ENGINEER_REMINDER),
    "arrived late: nothing overdue any more": (
        dict(arrived_at=at(26, 10, 40)), {ENGINEER_REMINDER}, at(26, 10, 45), None),
    "then late to finish: the supervisor after 30 minutes of that": (
        dict(arrived_at=at(26, 10, 40)), {ENGINEER_REMINDER}, at(26, 17, 30), SUPERVISOR),
}


@pytest.mark.parametrize("facts, sent, now, expected", LADDER.values(), ids=LADDER.keys())
def test_next_escalation(facts, sent, now, expected):
    order = on_site(escalations_sent=frozenset(sent), **facts)
    assert next_escalation(order, Limits(), ALWAYS, now) == expected


def test_the_ladder_runs_on_business_time():
    limits = replace(Limits(), complete_minutes=60, same_day=False)
    order = on_site(submitted_at=at(26, 16, 20), dispatched_at=at(26, 16, 21),
                    accepted_at=at(26, 16, 25), arrived_at=at(26, 16, 30))
    # 60 business minutes from 16:20 run out at 17:20; the supervisor's 30 more end at 09:20.
    assert walk(order, at(26, 17), at(27, 12), limits, DAY_DESK) == [
        (at(26, 17, 21), ENGINEER_REMINDER), (at(27, 9, 20), SUPERVISOR),
        (at(27, 10, 20), LEADER)]


# ---- the call-back survey

DONE = at(26, 10)
SURVEY = {
    "rated: nothing more": (at(26, 11), 0, DONE + timedelta(days=3), None),
    "not yet a day": (None, 0, DONE + timedelta(hours=24) - minutes(1), None),
    "a day unrated: remind": (None, 0, DONE + timedelta(hours=24), REMIND),
    "reminded already": (None, 1, DONE + timedelta(hours=30), None),
    "not yet two days": (None, 1, DONE + timedelta(hours=48) - minutes(1), None),
    "two days unrated: close": (None, 1, DONE + timedelta(hours=48), CLOSE_UNRATED),
    "close even if the reminder was never sent": (None, 0, DONE + timedelta(hours=50),
                                                  CLOSE_UNRATED),
}


@pytest.mark.parametrize("rated_at, reminders, now, expected", SURVEY.values(), ids=SURVEY.keys())
def test_survey_step(rated_at, reminders, now, expected):
    assert survey_step(DONE, rated_at, reminders, now) == expected


def test_survey_with_configured_delays():
    remind, close = survey_delays({"survey_remind_hours": 2, "survey_close_hours": 4})
    steps = [survey_step(DONE, None, 0, DONE + timedelta(hours=h), remind, close)
             for h in (1, 2, 4)]
    assert steps == [None, REMIND, CLOSE_UNRATED]
    assert survey_step(None, None, 0, DONE) is None   # not completed
