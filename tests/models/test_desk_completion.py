"""The rules of a completion the desk records from paper: plain objects, no database."""
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from models.desk_completion import parse_cost, parse_time, stamped, time_problems

REPORTED = datetime(2026, 11, 26, 9, 30, 40)
NOW = datetime(2026, 11, 27, 18, 0, 12)


def order(arrived_at=None):
    return SimpleNamespace(submitted_at=REPORTED, arrived_at=arrived_at)


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-{text}")


@pytest.mark.parametrize("done, arrived, problems", [
    ("27 14:05", None, []),
    ("26 09:30", None, []),                       # the report's own minute
    ("26 09:29", None, ["done_before_report"]),
    ("27 18:00", None, []),                       # this minute
    ("27 18:01", None, ["done_in_future"]),
    ("27 14:05", "26 10:00", []),
    ("27 14:05", "27 14:05", []),
    ("27 14:05", "27 14:06", ["arrival_outside"]),
    ("27 14:05", "26 09:00", ["arrival_outside"]),
    ("27 18:30", "27 18:20", ["done_in_future"]),
])
def test_the_times_on_the_paper(done, arrived, problems):
    assert time_problems(order(), at(done), at(arrived) if arrived else None, NOW) == problems


def test_a_completion_never_comes_before_an_arrival_already_recorded():
    arrived = order(arrived_at=datetime(2026, 11, 26, 11, 15, 30))
    assert time_problems(arrived, at("26 11:10"), None, NOW) == ["done_before_arrival"]
    assert time_problems(arrived, at("26 11:15"), None, NOW) == []


def test_the_stored_time_is_never_before_the_report():
    assert stamped(at("26 09:30"), order()) == REPORTED
    assert stamped(at("26 10:00"), order()) == at("26 10:00")


@pytest.mark.parametrize("text, cost", [
    ("35", Decimal("35")), ("35.50", Decimal("35.50")), (" 35元 ", Decimal("35")), ("0", Decimal(0)),
    ("-5", None), ("3.555", None), ("三十五", None), ("12345678", None), ("", None), ("1e3", None),
])
def test_costs(text, cost):
    assert parse_cost(text) == cost


@pytest.mark.parametrize("text, when", [
    ("2026-11-26T14:05", datetime(2026, 11, 26, 14, 5)),
    ("2026-11-26 14:05", datetime(2026, 11, 26, 14, 5)),
    ("2026-11-26", None), ("2026-02-30T10:00", None), ("14:05", None), ("昨天", None),
])
def test_typed_times(text, when):
    assert parse_time(text) == when
