"""Login throttling: too many failures for a username or from an address lock both out a while.

Failures are kept in Redis sorted sets scored by the app's clock (so tests move the clock
instead of sleeping); Redis expiry only cleans up keys nobody touches any more.
"""
from __future__ import annotations

import secrets

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60   # failures counted over this long …
LOCK_SECONDS = 15 * 60     # … and then attempts refused for this long


class LoginThrottle:
    """Counts failed logins per username and per client address."""

    def __init__(self, redis, prefix: str, clock):
        self.redis, self.prefix, self.clock = redis, f"{prefix}admin:login:", clock

    def locked(self, username: str, address: str) -> bool:
        """True while either the username or the address is locked out."""
        now = self.clock.timestamp()
        until = self.redis.mget([self._key("lock", who) for who in self._whom(username, address)])
        return any(value is not None and int(value) > now for value in until)

    def failed(self, username: str, address: str) -> None:
        """Record one failure; the fifth within the window locks that username or address."""
        now = self.clock.timestamp()
        for who in self._whom(username, address):
            if self._count(who, now) >= MAX_FAILURES:
                ttl = LOCK_SECONDS + WINDOW_SECONDS
                self.redis.set(self._key("lock", who), now + LOCK_SECONDS, ex=ttl)

    def succeeded(self, username: str) -> None:
        """A good login forgets the username's failures (the address's stay counted)."""
        who = self._whom(username, "")[0]
        self.redis.delete(self._key("fails", who), self._key("lock", who))

    def _count(self, who: str, now: int) -> int:
        """Add a failure at `now` and count those still inside the window."""
        key = self._key("fails", who)
        pipe = self.redis.pipeline()
        pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
        pipe.zremrangebyscore(key, "-inf", now - WINDOW_SECONDS)
        pipe.zcard(key)
        pipe.expire(key, WINDOW_SECONDS + LOCK_SECONDS)
        return pipe.execute()[2]

    @staticmethod
    def _whom(username: str, address: str) -> tuple[str, str]:
        return f"user:{username[:64]}", f"ip:{address}"

    def _key(self, kind: str, who: str) -> str:
        return f"{self.prefix}{kind}:{who}"
