"""Clock-driven jobs in `run.py worker`: APScheduler fires them, a lease and a claim make sure
exactly one worker runs each occurrence, and missed runs after downtime are caught up once.

Jobs have fixed ids. Each job function takes `now`, re-reads the state it acts on and is safe to
run twice; the claim in models/jobs.py is what keeps a double run from happening at all.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from peewee import PeeweeException
from redis import RedisError

from models.jobs import claim_run, last_fire_time
from wechat_bot.background.lease import Lease
from wechat_bot.clock import Clock

log = logging.getLogger(__name__)
MAX_STEPS = 100_000  # fire times walked when catching up (a minute job over two months)


@dataclass(frozen=True)
class Job:
    """A job id, when it fires, and what it does: run(now, previous fire time or None)."""
    job_id: str
    trigger: BaseTrigger
    run: Callable[[datetime, Optional[datetime]], object]


class JobScheduler:
    """Runs due jobs once each, on the worker that holds the lease."""

    def __init__(self, jobs: list[Job], lease: Lease, clock: Clock):
        self.jobs = {job.job_id: job for job in jobs}
        self.lease, self.clock = lease, clock
        self._aps: Optional[BackgroundScheduler] = None

    def run_due(self, now: Optional[datetime] = None) -> list[str]:
        """Run every job that has a fire time due (once, however many were missed)."""
        now = now or self.clock.now()
        if not self.lease.hold(self._ts(now)):
            return []
        return [job_id for job_id in self.jobs if self._run_if_due(self.jobs[job_id], now)]

    def _run_if_due(self, job: Job, now: datetime) -> bool:
        previous = last_fire_time(job.job_id)
        fire = latest_fire_time(job.trigger, previous, now, self.clock)
        if fire is None and previous is None:
            claim_run(job.job_id, now, now)  # a new job counts its missed runs from here
            return False
        if fire is None or not claim_run(job.job_id, fire, now):
            return False
        log.debug("job %s runs for %s", job.job_id, fire)  # minute jobs: the jobs say what they did
        job.run(now, previous)
        return True

    def start(self) -> None:
        """Fire jobs in a background thread; each firing runs whatever is due."""
        self._aps = BackgroundScheduler(timezone=self.clock.zone)
        for job in self.jobs.values():
            self._aps.add_job(self._fire, job.trigger, id=job.job_id, coalesce=True,
                              max_instances=1, misfire_grace_time=None)
        self._aps.start()
        self._fire()  # catch up at once with what was missed while no worker ran

    def shutdown(self) -> None:
        """Stop firing and hand the lease over."""
        if self._aps is not None:
            self._aps.shutdown(wait=True)
        try:
            self.lease.release()
        except RedisError:  # Redis is down: the lease lapses by itself
            pass

    def _fire(self) -> None:
        try:
            self.run_due()
        except (PeeweeException, RedisError) as exc:
            # A service is down: the worker's loop says so once; a line a minute here is noise.
            log.debug("scheduled jobs skipped, the next firing retries: %s", exc)
        except Exception:  # noqa: BLE001 - a failed run must not stop the scheduler thread
            log.exception("scheduled jobs failed; the next firing retries")

    def _ts(self, now: datetime) -> int:
        return int(now.replace(tzinfo=self.clock.zone).timestamp())


def latest_fire_time(trigger: BaseTrigger, after: Optional[datetime], now: datetime,
                     clock: Clock) -> Optional[datetime]:
    """The newest fire time in (after, now], naive local; None when nothing is due.

    A job that never ran looks back one minute only (and is then given a starting point): a
    new worker does not send yesterday's digest, but a minute job starts at once.
    """
    zone = clock.zone
    aware_now = now.replace(tzinfo=zone)
    start = (after or now - timedelta(minutes=1)).replace(tzinfo=zone) + timedelta(microseconds=1)
    fire, latest = trigger.get_next_fire_time(None, start), None
    for _ in range(MAX_STEPS):
        if fire is None or fire > aware_now:
            break
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest.replace(tzinfo=None) if latest else None


def holder_id() -> str:
    """Names this worker in the lease: host, process and a random tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
