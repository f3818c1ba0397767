"""The pure transition table: no database, plain objects."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from models import lifecycle as lc

NOW = datetime(2026, 11, 26, 10, 0)


def order(status, **stamps):
    base = dict(arrived_at=None, completed_at=None)
    return SimpleNamespace(status=status, **{**base, **stamps})


@pytest.mark.parametrize("status, trigger, dest", [
    (lc.SUBMITTED, "dispatch", lc.DISPATCHED),
    (lc.DISPATCHED, "accept", lc.ACCEPTED),
    (lc.DISPATCHED, "reject", lc.SUBMITTED),
    (lc.ACCEPTED, "arrive", lc.ARRIVED),
    (lc.ARRIVED, "progress", lc.ARRIVED),
    (lc.ACCEPTED, "transfer", lc.SUBMITTED),
    (lc.DISPATCHED, "reassign", lc.SUBMITTED),
    (lc.ARRIVED, "reassign", lc.SUBMITTED),
    (lc.ARRIVED, "complete", lc.COMPLETED),
    (lc.ACCEPTED, "complete", lc.COMPLETED),
    (lc.DISPATCHED, "complete", lc.COMPLETED),   # the desk records a vendor's or paper job
    (lc.COMPLETED, "rate", lc.RATED),
    (lc.RATED, "close", lc.CLOSED),
    (lc.COMPLETED, "close", lc.CLOSED),
    (lc.SUBMITTED, "cancel", lc.CANCELLED),
    (lc.DISPATCHED, "cancel", lc.CANCELLED),
    (lc.ARRIVED, "suspend", lc.SUSPENDED),
])
def test_legal_transitions(status, trigger, dest):
    assert lc.find_transition(order(status), trigger, NOW).dest == dest


@pytest.mark.parametrize("status, trigger", [
    (lc.ACCEPTED, "cancel"), (lc.ARRIVED, "cancel"), (lc.SUSPENDED, "reassign"), (lc.SUBMITTED, "accept"),
    (lc.COMPLETED, "arrive"), (lc.CLOSED, "reopen"), (lc.CANCELLED, "dispatch"),
    (lc.SUBMITTED, "complete"), (lc.SUSPENDED, "complete"), (lc.COMPLETED, "complete"),
    (lc.RATED, "rate"), (lc.SUBMITTED, "no-such-trigger"),
])
def test_illegal_transitions_raise(status, trigger):
    with pytest.raises(lc.IllegalTransition):
        lc.find_transition(order(status), trigger, NOW)
    assert not lc.can_fire(order(status), trigger, NOW)


def test_resume_returns_to_where_the_job_was():
    assert lc.find_transition(order(lc.SUSPENDED, arrived_at=NOW), "resume", NOW).dest == lc.ARRIVED
    assert lc.find_transition(order(lc.SUSPENDED), "resume", NOW).dest == lc.ACCEPTED


def test_reopen_only_within_seven_days_of_completion():
    done = order(lc.COMPLETED, completed_at=NOW - timedelta(days=7))
    assert lc.find_transition(done, "reopen", NOW).dest == lc.SUBMITTED
    late = order(lc.RATED, completed_at=NOW - timedelta(days=7, seconds=1))
    with pytest.raises(lc.IllegalTransition):
        lc.find_transition(late, "reopen", NOW)


def test_final_states_have_no_way_out():
    for state in lc.FINAL_STATES:
        assert not any(lc.can_fire(order(state), t, NOW) for t in lc.TRIGGERS)


def test_every_state_is_reachable_from_submitted():
    reached, frontier = {lc.SUBMITTED}, [lc.SUBMITTED]
    while frontier:
        state = frontier.pop()
        for row in lc.TRANSITIONS:
            if state in row.sources and row.dest not in reached:
                reached.add(row.dest)
                frontier.append(row.dest)
    assert reached == set(lc.STATES)
