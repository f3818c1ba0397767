"""Login throttling: too many tries for a username or from an address lock both out a while.

The counting is wechat_bot/redis_conn.py's (shared with 绑定 in chat); this names the keys.
"""
from __future__ import annotations

from typing import Optional

from wechat_bot.redis_conn import Attempts

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60   # tries counted over this long …
LOCK_SECONDS = 15 * 60     # … and then tries refused for this long


class LoginThrottle:
    """Counts login attempts per username and per client address."""

    def __init__(self, redis, prefix: str, clock):
        self.attempts = Attempts(redis, f"{prefix}admin:login:", clock, MAX_FAILURES,
                                 WINDOW_SECONDS, LOCK_SECONDS)

    def attempt(self, username: str, address: str) -> Optional[str]:
        """Count this attempt; its id when the password may be checked, None when locked out."""
        return self.attempts.attempt(*self._whom(username, address))

    def succeeded(self, username: str, address: str, attempt: str) -> None:
        """A good login forgets the username's tries and takes its own back from the address."""
        user, ip = self._whom(username, address)
        self.attempts.forget(user)
        self.attempts.take_back(ip, attempt)

    @staticmethod
    def _whom(username: str, address: str) -> tuple[str, str]:
        return f"user:{username[:64]}", f"ip:{address}"
