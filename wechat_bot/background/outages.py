"""How the worker rides out a database or Redis outage: one log line when a service goes down
and one when it is back (not one per round), and waits between failed rounds that double up
to a cap. After `[worker] max_failed_rounds` failures in a row worker.py gives up and exits, so
a supervisor (systemd Restart=always) starts a fresh process.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Optional

from wechat_bot.config import WorkerSettings

log = logging.getLogger(__name__)
# service name -> None when it answers, else what went wrong
Probe = Callable[[], dict[str, Optional[str]]]


def backoff(failed: int, settings: WorkerSettings) -> float:
    """Seconds to wait after the `failed`-th failed round in a row: poll, 2×poll … up to the cap."""
    return min(settings.poll_seconds * 2 ** min(failed - 1, 30), settings.max_backoff_seconds)


class Outages:
    """Which services the worker has found down, and the lines that say so."""

    def __init__(self, probe: Probe):
        self.probe = probe
        self.down: dict[str, float] = {}  # service -> when it was found down (monotonic)

    def failed(self, exc: Exception) -> None:
        """A round failed on `exc`: ask each service, log the ones that went down or came back."""
        answers = self.probe()
        if all(error is None for error in answers.values()):
            # Both answer again already (a hiccup), or the fault is not a service's: say what.
            log.warning("worker round failed: %s", exc)
        for service, error in answers.items():
            if error is not None and service not in self.down:
                self.down[service] = time.monotonic()
                log.error("worker: %s is down (%s); retrying with back-off", service, error)
            elif error is None:
                self._back(service)

    def recovered(self) -> None:
        """A round went through: every service found down is back."""
        for service in list(self.down):
            self._back(service)

    def _back(self, service: str) -> None:
        since = self.down.pop(service, None)
        if since is not None:
            log.info("worker: %s is back after %.0f s", service, time.monotonic() - since)
