"""Login throttling: too many attempts for a username or from an address lock both out a while.

Each attempt is counted before its password is checked, in one Redis transaction, so forty
logins sent at once get at most MAX_FAILURES checks between them, not forty. A good login
takes its own attempt back. Attempts are kept in Redis sorted sets scored by the app's clock
(tests move the clock instead of sleeping); Redis expiry only cleans up keys nobody touches.
"""
from __future__ import annotations

import secrets
from typing import Optional

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60   # attempts counted over this long …
LOCK_SECONDS = 15 * 60     # … and then attempts refused for this long


class LoginThrottle:
    """Counts login attempts per username and per client address."""

    def __init__(self, redis, prefix: str, clock):
        self.redis, self.prefix, self.clock = redis, f"{prefix}admin:login:", clock

    def attempt(self, username: str, address: str) -> Optional[str]:
        """Count this attempt; its id when the password may be checked, None when locked out."""
        now = self.clock.timestamp()
        attempt = f"{now}:{secrets.token_hex(6)}"
        refused = [self._count(who, attempt, now) for who in self._whom(username, address)]
        return None if any(refused) else attempt

    def succeeded(self, username: str, address: str, attempt: str) -> None:
        """A good login forgets the username's attempts and takes its own back from the address."""
        user, ip = self._whom(username, address)
        pipe = self.redis.pipeline()
        pipe.delete(self._key("fails", user), self._key("lock", user))
        pipe.zrem(self._key("fails", ip), attempt)
        pipe.execute()

    def _count(self, who: str, attempt: str, now: int) -> bool:
        """Add the attempt and count the window atomically; True when `who` is locked out."""
        fails, lock = self._key("fails", who), self._key("lock", who)
        pipe = self.redis.pipeline()  # MULTI … EXEC: no other attempt counts in between
        pipe.get(lock)
        pipe.zremrangebyscore(fails, "-inf", now - WINDOW_SECONDS)
        pipe.zadd(fails, {attempt: now})
        pipe.zcard(fails)
        pipe.expire(fails, WINDOW_SECONDS + LOCK_SECONDS)
        until, _, _, count, _ = pipe.execute()
        if until is not None and int(until) > now:
            return True
        if count > MAX_FAILURES:
            self.redis.set(lock, now + LOCK_SECONDS, ex=LOCK_SECONDS + WINDOW_SECONDS, nx=True)
            return True
        return False

    @staticmethod
    def _whom(username: str, address: str) -> tuple[str, str]:
        return f"user:{username[:64]}", f"ip:{address}"

    def _key(self, kind: str, who: str) -> str:
        return f"{self.prefix}{kind}:{who}"
