"""Job facts against the timeline: engineer performance from the facts equals the same figures
read straight from the events and orders (tests/models/engineer_reference.py), on orders
driven through the workflow every path uses (models/workflow.py: fire, record_event).

The set: completed and rated; completed without an arrival; a warranty vendor's job and a paper
派工单 recorded by the desk days later; reworked (返修) once with a new engineer, once by the
same one without a new arrival; cancelled; rejected then taken; transferred; suspended and
resumed; overdue with the three escalation steps, and escalated while nobody held it; events
on both sides of a month's edge. Compared for October, November, a week and a day, with the
facts as written live, then rebuilt by the migration's backfill (twice: nothing doubles), and
made by the migration on a database that lacked the table.
"""
from datetime import date, datetime, timedelta

import pytest

from models import create_tables, db
from models.catalogue import Department, FaultType
from models.job_facts import JobFact, backfill_job_facts
from models.people import User
from models.schema import add_job_facts
from models.statistics import Limits, day_period, month_period, week_period
from models.statistics_engineers import engineer_performance
from models.workflow import NewOrder, fire, record_event, submit_order
from tests.models.engineer_reference import engineer_performance_from_events

LIMITS = Limits(arrive_minutes=15, arrive_minutes_by_type={})   # per type: set in the fixture
PERIODS = [month_period(date(2026, 10, 1)), month_period(date(2026, 11, 1)),
           week_period(date(2026, 11, 2)), day_period(date(2026, 10, 31))]


def at(text: str) -> datetime:
    """'11-03 10:00' in 2026."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M")


class Shop:
    """People, fault types and a helper to walk an order through its steps."""

    def __init__(self):
        works = Department.create(name="工程部")
        self.water = FaultType.create(name="水电", department=works)
        self.air = FaultType.create(name="空调", department=works)
        self.reporter = User.create(openid="o_fact_r", name="报修人", created_at=at("09-01 09:00"))
        self.wang, self.li, self.zhao, self.desk = (
            User.create(openid=f"o_fact_{n}", name=n, created_at=at("09-01 09:00"))
            for n in ("王师傅", "李师傅", "赵师傅", "前台"))

    def order(self, when: str, kind=None):
        """A new order, submitted at `when`."""
        return submit_order(NewOrder(reporter=self.reporter, category=kind or self.water,
                                     location_text="1号楼 101", description="漏水",
                                     phone="13800138000"), at(when))

    def take(self, order, who, when: str, minutes=(2, 5)):
        """Dispatched to `who`, accepted `minutes[0]` later, then `minutes[1]` more."""
        t = at(when)
        fire(order, "dispatch", self.desk, t, engineer=who)
        fire(order, "accept", who, t + timedelta(minutes=minutes[0]))
        return t + timedelta(minutes=sum(minutes))


@pytest.fixture
def shop(database):
    s = Shop()
    walk(s)
    return s


def walk(s: Shop) -> None:
    """Every shape of order named in the module docstring."""
    # Completed and rated, on time; and an air-con job 20 minutes to site (its limit is 30).
    o = s.order("10-30 09:00")
    fire(o, "arrive", s.wang, s.take(o, s.wang, "10-30 09:01", (3, 9)))
    fire(o, "complete", s.wang, at("10-30 10:10"))
    fire(o, "rate", s.reporter, at("10-30 12:00"), rating=5)
    o = s.order("11-02 08:00", s.air)
    fire(o, "arrive", s.li, s.take(o, s.li, "11-02 08:01", (4, 15)))
    fire(o, "complete", s.li, at("11-02 09:30"))
    # Completed without an arrival, across the month's edge (accepted Oct 31, done Nov 1).
    o = s.order("10-31 23:30")
    s.take(o, s.wang, "10-31 23:31", (10, 0))
    fire(o, "complete", s.wang, at("11-01 01:00"))
    # A warranty vendor's job recorded by the desk; a paper 派工单 typed in three days later.
    o = s.order("11-03 10:00")
    fire(o, "dispatch", s.desk, at("11-03 10:01"), vendor_name="厂家")
    fire(o, "complete", s.desk.id, at("11-03 16:00"), at=at("11-03 15:00"))
    o = s.order("11-04 10:00")
    fire(o, "dispatch", s.desk, at("11-04 10:01"), engineer=s.zhao)
    fire(o, "complete", s.zhao.id, at("11-07 09:00"), at=at("11-04 12:00"),
         arrived_at=at("11-04 10:20"))
    # Reworked: 王 completes, rated 2, reopened, 李 redoes it (arrives), rated 4.
    o = s.order("11-05 09:00")
    fire(o, "arrive", s.wang, s.take(o, s.wang, "11-05 09:01", (2, 10)))
    fire(o, "complete", s.wang, at("11-05 10:00"))
    fire(o, "rate", s.reporter, at("11-05 11:00"), rating=2)
    fire(o, "reopen", s.reporter, at("11-06 08:00"), engineer=None)
    fire(o, "arrive", s.li, s.take(o, s.li, "11-06 08:30", (5, 20)))
    fire(o, "complete", s.li, at("11-06 10:00"))
    fire(o, "rate", s.reporter, at("11-06 12:00"), rating=4)
    # Reworked by the same engineer without arriving again, never rated.
    o = s.order("11-08 09:00")
    fire(o, "arrive", s.zhao, s.take(o, s.zhao, "11-08 09:01", (1, 30)))
    fire(o, "complete", s.zhao, at("11-08 11:00"))
    fire(o, "reopen", s.reporter, at("11-09 08:00"), engineer=None)
    s.take(o, s.zhao, "11-09 09:00")
    fire(o, "complete", s.zhao, at("11-09 10:00"))
    # Cancelled before anyone took it.
    o = s.order("11-10 09:00")
    fire(o, "cancel", s.reporter, at("11-10 09:05"))
    # Rejected by 赵, taken by 王; transferred by 李 to 赵; suspended and resumed by 王.
    o = s.order("11-11 09:00")
    fire(o, "dispatch", s.desk, at("11-11 09:01"), engineer=s.zhao)
    fire(o, "reject", s.zhao, at("11-11 09:03"), engineer=None)
    fire(o, "arrive", s.wang, s.take(o, s.wang, "11-11 09:10", (2, 8)))
    fire(o, "suspend", s.wang, at("11-11 10:00"))
    fire(o, "resume", s.wang, at("11-12 09:00"))
    fire(o, "complete", s.wang, at("11-12 10:00"))
    o = s.order("11-13 09:00", s.air)
    s.take(o, s.li, "11-13 09:01")
    fire(o, "transfer", s.li, at("11-13 09:30"), engineer=None)
    fire(o, "arrive", s.zhao, s.take(o, s.zhao, "11-13 10:00", (3, 40)))
    # Overdue: 赵 holds it while the ladder's three steps go out, then completes it.
    for step in ("11-14 09:30", "11-14 10:00", "11-14 11:00"):
        record_event(o, "escalate", None, at(step), note="超时")
    fire(o, "complete", s.zhao, at("11-14 15:00"))
    # Escalated while waiting for anyone, then taken by 李 and still open at the end.
    o = s.order("11-20 09:00")
    record_event(o, "escalate", None, at("11-20 09:20"), note="超时")
    s.take(o, s.li, "11-20 10:00")


def both(period):
    """Engineer performance from the facts and from the events, for `period`."""
    return engineer_performance(period, LIMITS), engineer_performance_from_events(period, LIMITS)


@pytest.mark.parametrize("period", PERIODS, ids=["october", "november", "week", "day"])
def test_facts_written_with_the_steps_give_the_timelines_figures(shop, period):
    facts, events = both(period)
    assert facts == events


def test_the_backfill_gives_the_same_facts_and_writes_each_once(shop):
    live = sorted(JobFact.select().tuples())
    JobFact.delete().execute()
    assert backfill_job_facts() == len(live)
    assert backfill_job_facts() == 0                      # idempotent
    rebuilt = sorted(JobFact.select().tuples())
    assert [row[:5] for row in rebuilt] == [row[:5] for row in live]
    for period in PERIODS:
        facts, events = both(period)
        assert facts == events


def test_a_database_made_before_the_facts_gains_them_when_it_is_upgraded(shop):
    live = sorted(JobFact.select().tuples())
    db.drop_tables([JobFact])                 # as a database from before this table
    create_tables()                           # what init-db and the worker run
    assert sorted(JobFact.select().tuples()) == live
    assert add_job_facts() is None            # once: the table is there now
    create_tables()
    assert JobFact.select().count() == len(live)


def test_the_set_is_as_varied_as_it_says(shop):
    november = {s.name: s for s in engineer_performance(PERIODS[1], LIMITS)}
    wang, li, zhao = november["王师傅"], november["李师傅"], november["赵师傅"]
    assert (wang.jobs, wang.completed, wang.arrived, wang.rated) == (2, 3, 2, 1)
    assert wang.avg_rating == 4.0               # his reworked job counts the order's final 4
    assert (li.jobs, li.completed, li.transfers, li.overdue, li.escalations) == (4, 2, 1, 1, 1)
    assert (zhao.rejects, zhao.completed, zhao.overdue, zhao.escalations) == (1, 4, 1, 3)
    assert li.on_time_rate == 0.0       # 空调 20 min on the 15-minute default; the rework a day
    with_air = Limits(arrive_minutes=15, arrive_minutes_by_type={shop.air.id: 30})
    assert {s.name: s.on_time for s in engineer_performance(PERIODS[1], with_air)} == \
        {s.name: s.on_time for s in engineer_performance_from_events(PERIODS[1], with_air)}
    assert {s.name: s.on_time for s in engineer_performance(PERIODS[1], with_air)}["李师傅"] == 1
