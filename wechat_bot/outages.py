"""How the worker rides out a database or Redis outage: one log line when a service goes down
and one when it is back (not one per round; /healthz logs the same way), and waits between
failed rounds that double up to a cap. After `[worker] max_failed_rounds` failures in a row
worker.py gives up and exits, so a supervisor (systemd Restart=always) starts a fresh process.
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
    """Which services a process has found down, and the lines that say so (the worker's, and
    /healthz's, so a monitor probing every few seconds does not log an ERROR each time)."""

    def __init__(self, probe: Optional[Probe] = None, who: str = "worker",
                 then: str = "; retrying with back-off"):
        self.probe, self.who, self.then = probe, who, then
        self.down: dict[str, float] = {}  # service -> when it was found down (monotonic)

    def failed(self, exc: Exception) -> None:
        """A round failed on `exc`: ask each service, log the ones that went down or came back."""
        answers = self.probe()
        if all(error is None for error in answers.values()):
            # Both answer again already (a hiccup), or the fault is not a service's: say what.
            log.warning("worker round failed: %s", exc)
        self.note(answers)

    def note(self, answers: dict[str, Optional[str]]) -> None:
        """Log the services in `answers` that went down or came back since last noted."""
        for service, error in answers.items():
            if error is not None and service not in self.down:
                self.down[service] = time.monotonic()
                log.error("%s: %s is down (%s)%s", self.who, service, error, self.then)
            elif error is None:
                self._back(service)

    def recovered(self) -> None:
        """A round went through: every service found down is back."""
        for service in list(self.down):
            self._back(service)

    def _back(self, service: str) -> None:
        since = self.down.pop(service, None)
        if since is not None:
            log.info("%s: %s is back after %.0f s", self.who, service, time.monotonic() - since)
