"""Delivering the outbox: due notifications go out with retries, back-off and dead letters.

A message is claimed with a lease before it is sent. A worker killed mid-send leaves the
claim to expire; the next worker resends with the same client_msg_id, which WeChat delivers
only once, so nothing is lost and nothing is doubled on the user's phone.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Optional

from jinja2 import TemplateError

from models.notifications import (Notification, claim_due, mark_dead, mark_retry, mark_sent,
                                  store_composed)
from wechat_bot.clock import Clock
from wechat_bot.config import WorkerSettings
from wechat_bot.logs import mask
from wechat_bot.wechat_api.gateway import PermanentError, TransientError, WechatGateway
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)
QUOTA_EXHAUSTED = 45009  # the daily quota comes back tomorrow: wait long
# Messages sent at once by one worker. Each send mostly waits (on WeChat, about 100 ms, and
# on the database), so one at a time a worker fell behind 20 确认 a second (make soak).
SENDERS = 4
# Batches a round sends at most: small batches keep a killed worker's leftovers few, and the
# round still drains a backlog before it turns to dispatching again.
ROUND_BATCHES = 6


def backoff(attempt: int, errcode) -> timedelta:
    """How long to wait before try number `attempt` + 1: 10 s, 30 s, 90 s ... at most 1 h."""
    if errcode == QUOTA_EXHAUSTED:
        return timedelta(hours=1)
    return timedelta(seconds=min(10 * 3 ** attempt, 3600))


class Outbox:
    """Sends what is due, one claimed batch at a time."""

    def __init__(self, gateway: WechatGateway, clock: Clock, settings: WorkerSettings,
                 notifier: Notifier):
        self.gateway, self.clock, self.settings = gateway, clock, settings
        self.notifier = notifier
        self._pool: Optional[ThreadPoolExecutor] = None

    def deliver_due(self) -> int:
        """Send due messages, a claimed batch at a time, up to ROUND_BATCHES; how many."""
        handled = 0
        for _ in range(ROUND_BATCHES):
            sent = self.deliver_batch()
            handled += sent
            if sent < self.settings.batch_size:
                break
        return handled

    def deliver_batch(self) -> int:
        """Claim a batch and send it, SENDERS people at a time; how many were handled.

        One person's messages go one after another, in the order they were written (arrived,
        then the progress note); only different people's are sent side by side.
        """
        batch = claim_due(self.clock.now(), timedelta(seconds=self.settings.lease_seconds),
                          self.settings.batch_size)
        per_person: dict[str, list[Notification]] = {}
        for note in batch:
            per_person.setdefault(note.openid, []).append(note)
        if len(per_person) < 2:
            self._deliver_in_turn(batch)
        else:   # list(): the first error (the database is down) fails the round, as before
            list(self._senders().map(self._deliver_in_turn, per_person.values()))
        return len(batch)

    def _deliver_in_turn(self, notes: list[Notification]) -> None:
        for note in notes:
            self.deliver(note)

    def _senders(self) -> ThreadPoolExecutor:
        """Threads kept for the worker's life, each with its own database connection."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="outbox")
        return self._pool

    def deliver(self, note: Notification) -> None:
        """One message: sent, scheduled again, or dead with the reason."""
        data = note.data
        if data is None:
            try:
                data = self.notifier.compose(note)
            except (KeyError, ValueError, TypeError, TemplateError) as exc:
                log.error("notification %s cannot be composed: %s", note.id, exc)
                mark_dead(note, f"cannot compose: {exc}")
                return
            store_composed(note, data)
        try:
            msgid = self.gateway.send_template(note.openid, note.template_id, data,
                                               note.url, note.client_msg_id)
        except PermanentError as exc:
            log.warning("notification %s to %s dead: %s", note.id, mask(note.openid), exc)
            mark_dead(note, str(exc))
        except TransientError as exc:
            self._retry_or_give_up(note, exc)
        else:
            mark_sent(note, msgid, self.clock.now())

    def _retry_or_give_up(self, note: Notification, exc: TransientError) -> None:
        if note.attempts + 1 >= self.settings.max_attempts:
            log.warning("notification %s dead after %s tries: %s", note.id, note.attempts + 1, exc)
            mark_dead(note, f"gave up after {note.attempts + 1} tries: {exc}")
            return
        when = self.clock.now() + backoff(note.attempts, exc.errcode)
        log.info("notification %s retry at %s: %s", note.id, when, exc)
        mark_retry(note, str(exc), when)
