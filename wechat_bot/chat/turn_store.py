"""Redis side of one chat turn: retry dedup, the per-user lock, drafts and cached profiles.

Each turn makes two round trips, each a few plain commands sent in one write on the thread's
own connection (redis_line.py). BEGIN claims the message, takes the user's lock and reads
their draft and profile (and the catalogue's version, so a back-office edit reaches this
process at no extra cost); FINISH saves the draft, caches the reply for WeChat's retries,
wakes the worker when asked and releases the lock. Plain commands rather than Lua scripts:
under load the two scripts cost Redis about twice the CPU of the same commands sent plain
(148 against 73 µs a turn), and that was the gap to WeRoBot's plain GET and SET.

Both are safe to send twice, as the line does once after reconnecting: BEGIN reads the claim
and the lock back and counts them ours when they hold this turn's token. FINISH releases the
lock with a plain DEL while it cannot have expired (the turn, timed from before BEGIN was
sent, is well inside the lock's TTL); after a longer stall another turn may hold it by now,
so a two-line script deletes it only if it is still ours. The reply leaves only after FINISH
has answered: a command written without reading its answer goes into a dead socket unnoticed
when Redis restarted mid-turn, and the user would be told "已记下" about a draft that is gone.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Optional

import redis

from wechat_bot.background.wake import wake_key
from wechat_bot.chat.redis_line import RedisLine
from wechat_bot.redis_conn import catalogue_key

# Delete the lock only if it still holds this turn's token (KEYS: lock; ARGV: token).
UNLOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end"

PENDING = b"\x00pending:"  # + the owner's token, so waiters know a try is still running
# The claim outlives any real turn but not by much: if a process dies mid-turn, WeChat's
# later retries find the claim gone and are handled afresh.
PENDING_TTL = 30
# WeChat tries a message three times, 5 s apart: a reply kept a minute answers every retry,
# and Redis does not carry ten minutes of replies (a million keys at a busy hour) for nothing.
REPLY_TTL = 60
PROFILE_TTL = 86400
# A lock younger than its TTL minus this is certainly still ours (Redis started its clock
# after ours): plain DEL. Older: UNLOCK checks the token first.
UNLOCK_MARGIN = 1.0
POLL_LIMIT = 0.1   # the longest pause between looks at a reply another request is making


@dataclass
class Loaded:
    """What BEGIN found."""
    claimed: bool
    locked: bool
    draft: Optional[dict]
    profile: Optional[dict]
    catalogue: Optional[bytes] = None   # the catalogue's version (redis_conn.catalogue_key)
    since: Optional[float] = None   # time.monotonic() before the BEGIN that took the lock


class TurnStore:
    """Key layout and Redis commands for chat turns; all keys carry the configured prefix."""

    def __init__(self, client: redis.Redis, prefix: str, draft_ttl: int,
                 reply_ttl: int = REPLY_TTL, lock_ms: int = 15000):
        self.redis, self.prefix = client, prefix
        self.line = RedisLine(client)  # BEGIN and FINISH: see redis_line.py
        self.draft_ttl, self.reply_ttl, self.lock_ms = draft_ttl, reply_ttl, lock_ms

    def _key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}{kind}:{ident}"

    def begin(self, retry_key: str, openid: str, token: str, claim: bool = True) -> Loaded:
        """Claim the message (unless already ours), try the user's lock, read their state."""
        dup, lock = self._key("dup", retry_key), self._key("lock", openid)
        pending = PENDING + token.encode()
        commands = [("SET", lock, token, "NX", "PX", self.lock_ms),
                    ("MGET", dup, lock, self._key("draft", openid), self._key("prof", openid),
                     catalogue_key(self.prefix))]
        if claim:
            commands.insert(0, ("SET", dup, pending, "NX", "EX", PENDING_TTL))
        since = time.monotonic()
        held_claim, held_lock, draft, profile, catalogue = self._send(commands)[-1]
        locked = held_lock == token.encode()
        if claim and held_claim != pending:   # a retry: not ours to handle, nor the lock
            if locked:
                self._send([("DEL", lock)])   # taken a moment ago: still ours
            return Loaded(False, False, None, None)
        return Loaded(True, locked, _json(draft), _json(profile), catalogue,
                      since if locked else None)

    def wait_for_lock(self, retry_key: str, openid: str, token: str, timeout: float) -> Loaded:
        """Retry the lock while another message of the same user is being handled."""
        deadline, pause = time.monotonic() + timeout, 0.002
        while True:
            loaded = self.begin(retry_key, openid, token, claim=False)
            if loaded.locked or time.monotonic() > deadline:
                return loaded
            time.sleep(pause)  # production back-off, bounded by the lock's expiry
            pause = min(pause * 2, 0.05)

    def finish(self, retry_key: str, openid: str, token: str, reply: str,
               draft: Optional[dict], profile: Optional[dict], wake: bool = False,
               since: Optional[float] = None) -> None:
        """Save the draft (or drop it), cache the reply, wake the worker if asked, unlock.
        `since` is the Loaded.since of this turn's lock (None: check the token to unlock)."""
        draft_key = self._key("draft", openid)
        commands = [("DEL", draft_key) if draft is None else
                    ("SET", draft_key, json.dumps(draft, ensure_ascii=False), "EX", self.draft_ttl)]
        if profile is not None:
            commands.append(("SET", self._key("prof", openid),
                             json.dumps(profile, ensure_ascii=False), "EX", PROFILE_TTL))
        commands.append(("SET", self._key("dup", retry_key), reply.encode(), "EX", self.reply_ttl))
        if wake:
            worker = wake_key(self.prefix)
            commands += [("RPUSH", worker, 1), ("LTRIM", worker, -10, -1)]
        commands.append(self._unlock(openid, token, since))
        self._send(commands)

    def abandon(self, retry_key: str, openid: str, token: str,
                since: Optional[float] = None) -> None:
        """Forget a failed turn so WeChat's retry is handled afresh, and unlock."""
        self._send([("DEL", self._key("dup", retry_key)), self._unlock(openid, token, since)])

    def wait_for_reply(self, retry_key: str, timeout: float) -> Optional[str]:
        """The reply of a message another request is handling (None if it never finished).
        Only WeChat's retries wait here, so a short poll is cheaper than a list every turn
        would have to fill."""
        deadline, pause = time.monotonic() + timeout, 0.005
        while True:
            cached = self.line.call("GET", self._key("dup", retry_key))
            if cached is None or not cached.startswith(PENDING):
                return None if cached is None else cached.decode()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, POLL_LIMIT)

    def _unlock(self, openid: str, token: str, since: Optional[float]) -> tuple:
        lock = self._key("lock", openid)
        if since is not None and time.monotonic() - since < self.lock_ms / 1000 - UNLOCK_MARGIN:
            return ("DEL", lock)
        return ("EVAL", UNLOCK, 1, lock, token)

    def _send(self, commands: list[tuple]) -> list:
        answers = self.line.call_many(commands)
        for answer in answers:
            if isinstance(answer, redis.RedisError):
                raise answer
        return answers


def _json(raw: Optional[bytes]) -> Optional[dict]:
    return json.loads(raw) if raw else None
