"""The worker's doorbell: a Redis list the web process pushes to after committing work.

The worker blocks on it, so a notice leaves within milliseconds; it polls anyway, so a lost
ring only delays. Chat turns ring it inside their FINISH script, the back office with `ring`.
A second key says the people who can take orders changed (an engineer bound, was switched
on): the worker's next round retries the dispatch queue, which otherwise waits for the clock.
"""
from __future__ import annotations

import logging

from redis import RedisError

log = logging.getLogger(__name__)


def wake_key(prefix: str) -> str:
    """The Redis list that wakes the worker when a turn queued work for it."""
    return f"{prefix}worker:wake"


def pool_key(prefix: str) -> str:
    """Set while a change of staff has not been looked at by a worker round."""
    return f"{prefix}worker:pool"


def ring(client, prefix: str, pool: bool = False) -> None:
    """Tell the worker there is work, and with `pool` that the staff changed.

    A Redis hiccup is logged, not raised: it only delays (the clock retries the queue anyway).
    """
    try:
        pipe = client.pipeline()
        if pool:
            pipe.set(pool_key(prefix), 1)
        pipe.rpush(wake_key(prefix), 1).ltrim(wake_key(prefix), -10, -1).execute()
    except RedisError as exc:
        log.warning("could not wake the worker: %s", exc)


def note_pool_change(client, prefix: str) -> None:
    """Mark the staff changed without ringing (a chat turn's FINISH rings right after)."""
    client.set(pool_key(prefix), 1)


def take_pool_change(client, prefix: str) -> bool:
    """Whether the staff changed since a worker last asked (one worker gets each change)."""
    return bool(client.delete(pool_key(prefix)))
