"""The worker's doorbell: a Redis list the web process pushes to after committing work.

The worker blocks on it, so a notice leaves within milliseconds; it polls anyway, so a lost
ring only delays. Chat turns ring it inside their FINISH script, the back office with `ring`.
"""
from __future__ import annotations

import logging

from redis import RedisError

log = logging.getLogger(__name__)


def wake_key(prefix: str) -> str:
    """The Redis list that wakes the worker when a turn queued work for it."""
    return f"{prefix}worker:wake"


def ring(client, prefix: str) -> None:
    """Tell the worker there is work (a Redis hiccup is logged, not raised: it only delays)."""
    try:
        client.pipeline().rpush(wake_key(prefix), 1).ltrim(wake_key(prefix), -10, -1).execute()
    except RedisError as exc:
        log.warning("could not wake the worker: %s", exc)
