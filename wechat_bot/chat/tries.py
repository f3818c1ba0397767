"""绑定's throttle: a WeChat user who types too many wrong invite codes waits a while.

Codes are 8 characters from 31, so guessing is hopeless at 5 tries per 15 minutes; the log
line per failure (openid masked) lets the operator see someone trying.
"""
from __future__ import annotations

import logging
from typing import Optional

from wechat_bot.logs import mask
from wechat_bot.redis_conn import Attempts

log = logging.getLogger(__name__)
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


class BindTries:
    """The Tries a turn gets (handlers/turn.py): counted per openid in Redis."""
    lock_minutes = LOCK_SECONDS // 60

    def __init__(self, redis, prefix: str, clock):
        self.attempts = Attempts(redis, f"{prefix}bind:", clock, MAX_FAILURES, WINDOW_SECONDS,
                                 LOCK_SECONDS)

    def attempt(self, openid: str) -> Optional[str]:
        """Count a try; None (and a warning) when the user failed too often lately."""
        attempt = self.attempts.attempt(openid)
        if attempt is None:
            log.warning("绑定 refused for %s: too many wrong invite codes", mask(openid))
        return attempt

    def failed(self, openid: str) -> None:
        """Log a wrong code."""
        log.warning("绑定 failed for %s: invite code unknown, used or expired", mask(openid))

    def succeeded(self, openid: str, attempt: str) -> None:
        """Forget the user's failures."""
        self.attempts.forget(openid)
