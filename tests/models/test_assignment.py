"""The pure assignment rules: tables of cases, plain dataclasses, no database."""
import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from models.assignment import (ENGINEER, MATTER, QUEUE, RANKED_LIMIT, VENDOR, Candidate,
                               OrderFacts, Warranty, decide, rank)

TODAY = date(2026, 11, 26)
NOON = datetime(2026, 11, 26, 12, 0)
WATER, AIRCON, SECURITY = 1, 2, 7                     # fault type ids
ENGINEERING, ORDER_DEPT, ORDER_NIGHT = 10, 11, 12     # ORDER_NIGHT sits under ORDER_DEPT
CAMPUS, BUILDING_3, ROOM_201, BUILDING_1 = 100, 110, 111, 120


def staff(user_id, skills=(WATER,), areas=(), **fields):
    """A candidate who fixes water by default, in no particular area."""
    return Candidate(user_id, frozenset(skills), frozenset(areas), **fields)


def facts(**fields):
    """A repair of a water fault in room 201 of building 3, nobody declined, no device."""
    base = OrderFacts(kind="repair", fault_type_id=WATER, department_ids=frozenset({ENGINEERING}),
                      today=TODAY, location_path=(ROOM_201, BUILDING_3, CAMPUS))
    return replace(base, **fields)


GREE = Warranty("格力售后", "4008365315", date(2027, 6, 30))

CASES = {
    "only the skilled": (
        [staff(1, skills=[AIRCON]), staff(2)], facts(), ENGINEER, 2, [2]),
    "nobody skilled queues": (
        [staff(1, skills=[AIRCON])], facts(), QUEUE, None, []),
    "an area match beats a lighter load": (
        [staff(1, open_jobs=0), staff(2, areas=[BUILDING_3], open_jobs=3)],
        facts(), ENGINEER, 2, [2, 1]),
    "a campus area covers its rooms": (
        [staff(1), staff(2, areas=[CAMPUS], open_jobs=5)], facts(), ENGINEER, 2, [2, 1]),
    "another building is no match": (
        [staff(1, areas=[BUILDING_1]), staff(2, open_jobs=1)], facts(), ENGINEER, 1, [1, 2]),
    "fewest open jobs": (
        [staff(1, open_jobs=2), staff(2, open_jobs=1), staff(3, open_jobs=4)],
        facts(), ENGINEER, 2, [2, 1, 3]),
    "round robin: longest since last job": (
        [staff(1, last_assigned_at=NOON - timedelta(hours=1)),
         staff(2, last_assigned_at=NOON - timedelta(days=2)),
         staff(3, last_assigned_at=NOON - timedelta(days=1))], facts(), ENGINEER, 2, [2, 3, 1]),
    "never assigned comes first": (
        [staff(1, last_assigned_at=NOON - timedelta(days=30)), staff(2)],
        facts(), ENGINEER, 2, [2, 1]),
    "user id settles a full tie": (
        [staff(9), staff(4), staff(6)], facts(), ENGINEER, 4, [4, 6, 9]),
    "who rejected is skipped": (
        [staff(1, areas=[BUILDING_3]), staff(2)], facts(rejected_by=frozenset({1})),
        ENGINEER, 2, [2]),
    "everyone rejected queues": (
        [staff(1), staff(2)], facts(rejected_by=frozenset({1, 2})), QUEUE, None, []),
    "inactive is skipped": (
        [staff(1, active=False), staff(2, open_jobs=3)], facts(), ENGINEER, 2, [2]),
    "off duty is skipped": (
        [staff(1, on_duty=False), staff(2, open_jobs=3)], facts(), ENGINEER, 2, [2]),
    "nobody at all queues": ([], facts(), QUEUE, None, []),
    "a matter goes to the department's staff, skills aside": (
        [staff(1, skills=[SECURITY], department_id=ENGINEERING),
         staff(2, skills=[], department_id=ORDER_DEPT, open_jobs=1),
         staff(3, skills=[], department_id=ORDER_NIGHT)],
        facts(kind=MATTER, fault_type_id=SECURITY,
              department_ids=frozenset({ORDER_DEPT, ORDER_NIGHT})), ENGINEER, 3, [3, 2]),
    "a matter prefers staff of the area": (
        [staff(1, skills=[], department_id=ORDER_DEPT),
         staff(2, skills=[], department_id=ORDER_DEPT, areas=[CAMPUS])],
        facts(kind=MATTER, fault_type_id=SECURITY, department_ids=frozenset({ORDER_DEPT})),
        ENGINEER, 2, [2, 1]),
    "a matter nobody staffs queues": (
        [staff(1, skills=[SECURITY], department_id=ENGINEERING)],
        facts(kind=MATTER, fault_type_id=SECURITY, department_ids=frozenset({ORDER_DEPT})),
        QUEUE, None, []),
    "under warranty goes to the vendor, suggestions kept": (
        [staff(1)], facts(warranty=GREE), VENDOR, None, [1]),
    "warranty ending today still counts": (
        [staff(1)], facts(warranty=replace(GREE, warranty_end=TODAY)), VENDOR, None, [1]),
    "under warranty with nobody skilled still goes to the vendor": (
        [], facts(warranty=GREE), VENDOR, None, []),
    "expired warranty is a normal repair": (
        [staff(1)], facts(warranty=replace(GREE, warranty_end=TODAY - timedelta(days=1))),
        ENGINEER, 1, [1]),
    "a warranty without a phone is a normal repair": (
        [staff(1)], facts(warranty=replace(GREE, vendor_phone="")), ENGINEER, 1, [1]),
    "no warranty end date is a normal repair": (
        [staff(1)], facts(warranty=replace(GREE, warranty_end=None)), ENGINEER, 1, [1]),
    "a matter never goes to a vendor": (
        [staff(1, skills=[], department_id=ORDER_DEPT)],
        facts(kind=MATTER, fault_type_id=SECURITY, department_ids=frozenset({ORDER_DEPT}),
              warranty=GREE), ENGINEER, 1, [1]),
    "a repair without a fault type queues": (
        [staff(1)], facts(fault_type_id=None), QUEUE, None, []),
}


@pytest.mark.parametrize("candidates, order, how, engineer, ranked", CASES.values(),
                         ids=CASES.keys())
def test_decision(candidates, order, how, engineer, ranked):
    decision = decide(candidates, order)
    assert (decision.how, decision.engineer_id) == (how, engineer)
    assert [r.user_id for r in decision.ranked] == ranked


def test_the_vendor_contact_is_in_the_decision():
    decision = decide([staff(1)], facts(warranty=GREE))
    assert (decision.vendor, decision.vendor_phone) == ("格力售后", "4008365315")
    assert (decide([staff(1)], facts()).vendor, decide([], facts()).vendor_phone) == ("", "")


def test_each_suggestion_says_why():
    last = datetime(2026, 11, 25, 8, 30)
    near, far = decide([staff(1, areas=[BUILDING_3], open_jobs=2, last_assigned_at=last),
                        staff(2, open_jobs=0)], facts()).ranked
    assert near.reasons == ("area_match", "open_jobs=2", "last_assigned=2026-11-25T08:30:00")
    assert far.reasons == ("outside_area", "open_jobs=0", "never_assigned")
    assert (near.area_match, near.open_jobs, near.last_assigned_at) == (True, 2, last)


def team(size, seed=7):
    """A varied team: mixed skills, areas, loads, last jobs, some inactive or off duty."""
    rng = random.Random(seed)
    return [Candidate(user_id, frozenset(rng.sample([WATER, AIRCON, 3, 4, 5], 2)),
                      frozenset(rng.sample([CAMPUS, BUILDING_3, BUILDING_1, 130, 140], 1)),
                      active=rng.random() > 0.05, on_duty=rng.random() > 0.1,
                      open_jobs=rng.randrange(4),
                      last_assigned_at=rng.choice([None, NOON - timedelta(minutes=rng.randrange(
                          5000))]))
            for user_id in rng.sample(range(1, 100000), size)]


def full_sort(candidates, order):
    """The ranking spelled out the slow way, to check the one-pass version against."""
    path = set(order.location_path)
    fit = [c for c in candidates if c.active and c.on_duty and order.fault_type_id in c.skills
           and c.user_id not in order.rejected_by]
    return [c.user_id for c in sorted(fit, key=lambda c: (
        not (c.areas & path), c.open_jobs, c.last_assigned_at is not None,
        c.last_assigned_at or datetime.min, c.user_id))]


def test_two_thousand_candidates_match_a_full_sort():
    everyone = team(2000)
    order = facts(rejected_by=frozenset(c.user_id for c in everyone[:50]))
    decision = decide(everyone, order)
    expected = full_sort(everyone, order)
    assert len(expected) > 500
    assert [r.user_id for r in decision.ranked] == expected[:RANKED_LIMIT]
    assert decision.engineer_id == expected[0]


def test_the_same_inputs_in_any_order_give_the_same_decision():
    everyone = team(300, seed=3)
    first = decide(everyone, facts())
    for seed in range(5):
        shuffled = everyone[:]
        random.Random(seed).shuffle(shuffled)
        assert decide(shuffled, facts()) == first


def test_the_ranking_is_capped():
    everyone = [staff(n) for n in range(1, 40)]
    assert len(decide(everyone, facts()).ranked) == RANKED_LIMIT
    assert [r.user_id for r in rank(everyone, facts(), limit=3)] == [1, 2, 3]
    assert decide(iter(everyone), facts()).engineer_id == 1  # any iterable, read once
