"""The pure SLA rules: deadlines, breaches, acceptance timeouts, the escalation ladder and the
call-back survey. Explicit datetimes, no I/O."""
from dataclasses import replace
from datetime import timedelta

import pytest

from models.lifecycle import (ACCEPTED, ARRIVED, CANCELLED, CLOSED, COMPLETED, DISPATCHED,
                              SUBMITTED, SUSPENDED)
from models.sla import (ACCEPT, ARRIVE, COMPLETE, ENGINEER_REMINDER, ESCALATE,
                        ESCALATION_STEPS, LEADER, REDISPATCH, SUPERVISOR, OrderClock,
                        accept_miss_action, accept_timed_out, breaches, deadlines,
                        next_escalation, suspensions_from)
from models.sla_limits import Limits, limits_for, survey_delays
from models.survey import CLOSE_UNRATED, REMIND, survey_step
from models.work_calendar import ALWAYS
from tests.sla_helpers import DAY_DESK, OCT, at, minutes


# ---- deadlines

def clock(**facts):
    """A water order reported at 10:00 on Thursday 26 November and dispatched at 10:02."""
    base = OrderClock(submitted_at=at(26, 10), status=DISPATCHED, dispatched_at=at(26, 10, 2))
    return replace(base, **facts)


def test_deadlines_of_a_plain_order():
    due = deadlines(clock(), Limits(), ALWAYS)
    assert (due.accept_by, due.arrive_by, due.complete_by) == \
        (at(26, 10, 7), at(26, 10, 15), at(26, 17))


def test_a_vendor_order_has_no_acceptance_clock_but_arrives_and_completes_on_time():
    due = deadlines(clock(with_vendor=True), Limits(), ALWAYS)
    assert (due.accept_by, due.arrive_by, due.complete_by) == (None, at(26, 10, 15), at(26, 17))
    assert breaches(clock(with_vendor=True), Limits(), ALWAYS, at(26, 17, 1)) == (ARRIVE, COMPLETE)


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
    (dict(with_vendor=True), ALWAYS, at(26, 23), False),   # a vendor never accepts in WeChat
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
