"""Where each SLA clock of an order stands, as its page shows it: pure, explicit datetimes."""
from dataclasses import replace

import pytest

from models.lifecycle import (ACCEPTED, ARRIVED, CANCELLED, CLOSED, COMPLETED, DISPATCHED,
                              RATED, SUBMITTED)
from models.sla import OrderClock, clock_states
from models.sla_limits import Limits
from models.work_calendar import ALWAYS
from tests.sla_helpers import at

# Reported 10:00, dispatched 10:02: accept by 10:07, arrive by 10:15, complete by 17:00.
BASE = OrderClock(submitted_at=at(26, 10), status=DISPATCHED, dispatched_at=at(26, 10, 2))
NOW = at(26, 12)


def states(limits=Limits(), now=NOW, **facts):
    """(verdict, done_at) of the accept, arrive and complete clocks."""
    return [(s.state, s.done_at) for s in clock_states(replace(BASE, **facts), limits, ALWAYS,
                                                       now)]


def test_a_job_done_in_time_says_so_with_the_times():
    done = states(status=RATED, accepted_at=at(26, 10, 5), arrived_at=at(26, 10, 14),
                  completed_at=at(26, 11))
    assert done == [("met", at(26, 10, 5)), ("met", at(26, 10, 14)), ("met", at(26, 11))]


def test_a_closed_job_done_late_says_late_not_running():
    done = states(status=CLOSED, accepted_at=at(26, 10, 9), arrived_at=at(26, 10, 40),
                  completed_at=at(26, 18), now=at(30, 9))
    assert [verdict for verdict, _ in done] == ["missed", "missed", "missed"]


def test_a_vendor_or_paper_completion_has_no_acceptance_on_record():
    done = states(status=COMPLETED, completed_at=at(26, 16))
    assert done == [("not_done", None), ("not_done", None), ("met", at(26, 16))]


def test_a_cancelled_order_stops_every_clock():
    assert [v for v, _ in states(status=CANCELLED, now=at(27, 9))] == ["not_done"] * 3


def test_open_orders_run_or_are_overdue_and_done_steps_show_their_verdict():
    assert [v for v, _ in states(now=at(26, 10, 5))] == ["running", "running", "running"]
    assert [v for v, _ in states(now=at(26, 10, 20))] == ["overdue", "overdue", "running"]
    accepted = states(status=ACCEPTED, accepted_at=at(26, 10, 6), now=at(26, 10, 20))
    assert accepted == [("met", at(26, 10, 6)), ("overdue", None), ("running", None)]
    on_site = states(status=ARRIVED, accepted_at=at(26, 10, 6), arrived_at=at(26, 10, 30))
    assert [v for v, _ in on_site] == ["met", "missed", "running"]


def test_an_old_acceptance_does_not_count_for_the_next_dispatch():
    """Transferred after accepting, sent to someone else at 11:00 who has not accepted yet."""
    again = states(dispatched_at=at(26, 11), accepted_at=at(26, 10, 5), now=at(26, 11, 3))
    assert again[0] == ("running", None)
    waiting = states(status=SUBMITTED, accepted_at=at(26, 10, 5), arrived_at=None)
    assert waiting[0][1] is None


def test_no_limit_means_no_verdict():
    no_arrival_limit = Limits(arrive_minutes=0)
    assert states(no_arrival_limit)[1] == ("no_clock", None)
    done = states(no_arrival_limit, status=COMPLETED, arrived_at=at(26, 11),
                  completed_at=at(26, 12))
    assert done[1] == ("done", at(26, 11))


@pytest.mark.parametrize("status", [COMPLETED, RATED, CLOSED])
def test_no_finished_order_is_ever_running(status):
    for verdict, _ in states(status=status, completed_at=at(26, 11), now=at(28, 9)):
        assert verdict not in ("running", "overdue")
