"""Access tokens as WeChat keeps them, timed by the emulator's clock.

/cgi-bin/token: every fetch makes a new token and leaves the previous one usable 5 more minutes.
/cgi-bin/stable_token: the same token while it has more than 5 minutes left; force_refresh makes
a new one and kills the old at once (at most every 30 s). The two kinds never affect each other.
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Optional

TOKEN_TTL = 7200
OVERLAP = 300  # the old token's grace after a new fetch; also stable_token's renewal window
FORCE_REFRESH_GAP = 30  # force_refresh closer than this to the last one does not refresh


@dataclass
class Token:
    expires_at: int
    retired_at: Optional[int] = None  # replaced: from then on "not latest" (40001), not 42001


class TokenBook:
    """Issued tokens and their fate; callers hold the sandbox lock."""

    def __init__(self, clock):
        self.clock = clock
        self.tokens: dict[str, Token] = {}
        self.latest: dict[str, Optional[str]] = {"token": None, "stable": None}
        self.last_forced: Optional[int] = None

    def fetch(self) -> tuple[str, int]:
        """/cgi-bin/token: a new token; the previous one stays valid 5 more minutes."""
        now = self.clock.timestamp()
        self._retire(self.latest["token"], now + OVERLAP)
        return self._issue("token", now), TOKEN_TTL

    def stable(self, force_refresh: bool = False) -> tuple[str, int]:
        """/cgi-bin/stable_token: (token, expires_in), the current one unless it must change."""
        now, current = self.clock.timestamp(), self.latest["stable"]
        if force_refresh and (self.last_forced is None
                              or now - self.last_forced >= FORCE_REFRESH_GAP):
            self.last_forced = now
            self._retire(current, now)
        token = self.tokens.get(current) if current else None
        if token and self.check(current) == 0 and token.expires_at - now > OVERLAP:
            return current, token.expires_at - now
        # In its last 5 minutes the old token still works until it expires: no retiring here.
        return self._issue("stable", now), TOKEN_TTL

    def check(self, value: str) -> int:
        """0 for a usable token, else WeChat's errcode: 41001 missing, 40001 unknown, 42001 expired."""
        if not value:
            return 41001
        token, now = self.tokens.get(value), self.clock.timestamp()
        if token is None or (token.retired_at is not None and now >= token.retired_at):
            return 40001
        return 42001 if now >= token.expires_at else 0

    def expire_all(self) -> None:
        """Every token issued so far is expired from now on (42001)."""
        now = self.clock.timestamp()
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, now)

    def invalidate_all(self) -> None:
        """Forget every token: they are unknown from now on (40001)."""
        self.tokens.clear()
        self.latest = {"token": None, "stable": None}

    def _issue(self, kind: str, now: int) -> str:
        value = secrets.token_urlsafe(102)  # 136 characters, like WeChat's
        self.tokens[value] = Token(expires_at=now + TOKEN_TTL)
        self.latest[kind] = value
        return value

    def _retire(self, value: Optional[str], at: int) -> None:
        token = self.tokens.get(value) if value else None
        if token is not None:
            token.retired_at = at if token.retired_at is None else min(token.retired_at, at)
