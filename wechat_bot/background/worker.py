"""`run.py worker`: dispatches, delivers the outbox and downloads photos, woken by a Redis list.

The web process pushes to the wake list after committing work; the worker blocks on it, so
a notification leaves within milliseconds, and polls every `worker.poll_seconds` anyway (for
retries that fall due, and in case a wake-up was lost). A round that fails on the database or
Redis is retried with back-off (outages.py); too many in a row and the process exits with 1
for its supervisor to restart it.
"""
from __future__ import annotations

import logging
import signal
import threading
from typing import Callable, Optional

from peewee import PeeweeException
from redis import RedisError

from models.database import check_database, checkpoint_wal
from wechat_bot.background.clock_jobs import ClockJobs
from wechat_bot.background.dispatch import Dispatcher
from wechat_bot.background.lease import Lease
from wechat_bot.outages import Outages, backoff
from wechat_bot.background.outbox import Outbox
from wechat_bot.background.photos import download_pending
from wechat_bot.background.reports import LeaderReports
from wechat_bot.background.scheduler import JobScheduler, holder_id
from wechat_bot.background.wake import take_pool_change, wake_key
from wechat_bot.clock import Clock
from wechat_bot.config import Settings
from wechat_bot.logs import setup_logging
from wechat_bot.redis_conn import beat, block_seconds, check_redis
from wechat_bot.texts import Texts
from wechat_bot.wechat_api.gateway import WechatGateway, make_gateway
from wechat_bot.wechat_api.menus import Tags, load_menus, sync_user_tags
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)


class Worker:
    """One worker process's loop; `stop` ends it after the current round.

    `wait(seconds)` is how it waits between failed rounds (tests pass their own, not to sleep);
    `prepare()`, when given, runs before the first round's work and again until it succeeds
    (`run.py worker` brings its tables that way: a database still starting is a failed round,
    not a crash).
    """

    def __init__(self, settings: Settings, redis_client, clock: Optional[Clock] = None,
                 gateway: Optional[WechatGateway] = None,
                 wait: Optional[Callable[[float], object]] = None,
                 prepare: Optional[Callable[[], object]] = None):
        self.settings, self.redis, self.prepare = settings, redis_client, prepare
        self.clock = clock or Clock(settings.app.timezone)
        self.gateway = gateway or make_gateway(settings, redis_client)
        texts = Texts()
        notifier = Notifier(settings.templates, texts)
        self.outbox = Outbox(self.gateway, self.clock, settings.worker, notifier)
        self.dispatcher = Dispatcher(notifier, texts)
        self.clock_jobs = ClockJobs(settings, notifier, texts)
        lease = Lease(redis_client, f"{settings.redis.prefix}lease:scheduler", holder_id(),
                      ttl_seconds=90)  # longer than the one-minute jobs fire apart
        jobs = (self.clock_jobs.jobs(self.clock.zone)
                + LeaderReports(notifier, settings.sla).jobs(self.clock.zone))
        self.scheduler = JobScheduler(jobs, lease, self.clock)
        self.tags = Tags(self.gateway, redis_client, settings.redis.prefix, load_menus()["tags"])
        self.media_dir = settings.data_path / "media"
        self.stop = threading.Event()
        self.wait = wait or self.stop.wait  # a stop during the back-off ends it at once
        self.outages = Outages(self.probe)
        # The idle wait on the wake list ends before the client's read timeout does.
        self.block = block_seconds(redis_client, settings.worker.poll_seconds)

    def run_once(self) -> int:
        """One round: dispatch, deliver due messages, fetch photos, tag users; how many.

        After a change of staff (an engineer bound or was switched on) the round retries the
        dispatch queue too; the clock's sla_check retries it every minute besides.
        """
        now = self.clock.now()
        shift = self.clock_jobs.on_duty(now)
        handled = (self._retry_queue(now, shift)
                   + self.dispatcher.dispatch_pending(now, shift=shift)
                   + self.outbox.deliver_due()
                   + download_pending(self.gateway, self.media_dir)
                   + sync_user_tags(self.gateway, self.tags))
        checkpoint_wal()
        return handled

    def _retry_queue(self, now, shift) -> int:
        if not take_pool_change(self.redis, self.settings.redis.prefix):
            return 0
        return self.dispatcher.retry_queued(now, shift, self.settings.sla)

    def run_until_idle(self, rounds: int = 20) -> int:
        """Rounds until nothing is left to do now (tests and demos); the work done."""
        done = 0
        for _ in range(rounds):
            handled = self.run_once()
            if not handled:
                break
            done += handled
        return done

    def run_forever(self) -> int:
        """Work until stopped (0), or until `max_failed_rounds` rounds failed in a row (1)."""
        log.info("worker started")
        self.scheduler.start()
        try:
            code = self._loop()
        finally:
            self.scheduler.shutdown()
        log.info("worker stopped")
        return code

    def _loop(self) -> int:
        failed, limit = 0, self.settings.worker.max_failed_rounds
        while not self.stop.is_set():
            failed = 0 if self.run_round() else failed + 1
            if failed >= limit:
                log.error("worker: %d rounds failed in a row; exiting for the supervisor to "
                          "start a fresh worker", failed)
                return 1
            if failed:
                self.wait(backoff(failed, self.settings.worker))
        return 0

    def run_round(self) -> bool:
        """One round and its heartbeat, then, when it found nothing to do, the wait on the wake
        list; False when the database or Redis failed it (logged once per outage)."""
        prefix = self.settings.redis.prefix
        try:
            if self.prepare is not None:
                self.prepare()
                self.prepare = None
            handled = self.run_once()
            beat(self.redis, prefix, self.clock.timestamp())  # /healthz: the worker is alive
            if not handled:
                self.redis.blpop([wake_key(prefix)], timeout=self.block)
        except (PeeweeException, RedisError) as exc:
            self.outages.failed(exc)
            return False
        self.outages.recovered()
        return True

    def probe(self) -> dict[str, Optional[str]]:
        """Whether each service answers now: None, or what went wrong."""
        return {"database": check_database(), "redis": check_redis(self.redis)}


def run_worker(settings: Settings) -> int:
    """`run.py worker`: open the services and loop until SIGTERM or Ctrl-C; the exit status."""
    from models import create_tables, open_database
    from wechat_bot.redis_conn import connect_redis

    setup_logging(settings.app.log_level, settings.app.timezone)
    open_database(settings.database_url)
    client = connect_redis(settings.redis.url, settings.data_path,
                           read_timeout=settings.worker.poll_seconds + 5)
    # An upgraded worker brings its tables and columns (additive only).
    worker = Worker(settings, client, prepare=create_tables)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop.set())
    try:
        return worker.run_forever()
    except KeyboardInterrupt:
        return 0
