"""The job scheduler: one worker leads, occurrences run once, missed runs are caught up once."""
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from models.jobs import JobRun
from wechat_bot.background.lease import Lease
from wechat_bot.background.scheduler import Job, JobScheduler, latest_fire_time
from wechat_bot.clock import ManualClock

START = datetime(2026, 11, 26, 7, 59, 30)


def make(redis_db, clock, holder, runs, key="t:lease:jobs"):
    zone = clock.zone
    jobs = [Job("digest", CronTrigger(hour=8, minute=0, timezone=zone),
                lambda now, since: runs.append((holder, "digest", now))),
            Job("scan", IntervalTrigger(minutes=10, start_date=datetime(2020, 1, 1, tzinfo=zone),
                                        timezone=zone),
                lambda now, since: runs.append((holder, "scan", now)))]
    return JobScheduler(jobs, Lease(redis_db, key, holder, ttl_seconds=60), clock)


def test_latest_fire_time_looks_back_to_the_last_run_only():
    clock = ManualClock(START)
    daily = CronTrigger(hour=8, minute=0, timezone=clock.zone)
    now = datetime(2026, 11, 26, 9, 0)
    assert latest_fire_time(daily, None, now, clock) is None  # never ran: no back-fill
    assert latest_fire_time(daily, datetime(2026, 11, 20, 8), now, clock) == datetime(2026, 11, 26, 8)
    assert latest_fire_time(daily, datetime(2026, 11, 26, 8), now, clock) is None


def test_only_the_lease_holder_runs_and_a_dead_holder_is_replaced(database, redis_db):
    clock, runs = ManualClock(START), []
    first, second = make(redis_db, clock, "A", runs), make(redis_db, clock, "B", runs)
    assert first.run_due() == [] and second.run_due() == []  # nothing due yet; A leads
    clock.advance(seconds=31)  # 08:00:01
    assert first.run_due() == ["digest", "scan"] and second.run_due() == []
    clock.advance(seconds=59)
    assert second.run_due() == []  # A renewed at 08:00:01, its lease runs to 08:01:01
    clock.advance(minutes=10)  # A died: it stopped renewing
    assert second.run_due() == ["scan"]
    assert [(who, job) for who, job, _ in runs] == [("A", "digest"), ("A", "scan"), ("B", "scan")]


def test_two_leaders_by_mistake_still_run_each_occurrence_once(database, redis_db):
    clock, runs = ManualClock(START), []
    first = make(redis_db, clock, "A", runs, key="t:lease:one")
    second = make(redis_db, clock, "B", runs, key="t:lease:two")
    clock.advance(minutes=1)
    assert first.run_due() == ["digest", "scan"]
    assert second.run_due() == []
    assert len(runs) == 2


def test_missed_runs_after_downtime_are_caught_up_once(database, redis_db):
    clock, runs = ManualClock(START), []
    scheduler = make(redis_db, clock, "A", runs)
    clock.advance(minutes=1)
    scheduler.run_due()
    clock.advance(days=3, hours=2)  # the worker was down over three digests
    assert scheduler.run_due() == ["digest", "scan"]
    assert scheduler.run_due() == []
    assert [job for _, job, _ in runs] == ["digest", "scan", "digest", "scan"]
    assert JobRun.get_by_id("digest").fire_time == datetime(2026, 11, 29, 8, 0)
