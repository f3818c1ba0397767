"""Redis side of one chat turn: retry dedup, the per-user lock, drafts and cached profiles.

Each turn costs two round trips: one pipeline to claim the message, take the user's lock and
read their draft and profile; one to save the draft, cache the reply and release the lock.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Optional

import redis

# Delete the lock only if we still own it: an expired lock may belong to someone else now.
RELEASE_LOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
PENDING = b"\x00pending:"  # + the owner's token, so waiters know which try to wait for
# The claim outlives any real turn but not by much: if a process dies mid-turn, WeChat's
# later retries find the claim gone and are handled afresh.
PENDING_TTL = 30


@dataclass
class Loaded:
    """What the first round trip found."""
    claimed: bool
    locked: bool
    draft: Optional[dict]
    profile: Optional[dict]


class TurnStore:
    """Key layout and round trips for chat turns; all keys carry the configured prefix."""

    def __init__(self, client: redis.Redis, prefix: str, draft_ttl: int,
                 reply_ttl: int = 600, lock_ms: int = 15000):
        self.redis, self.prefix = client, prefix
        self.draft_ttl, self.reply_ttl, self.lock_ms = draft_ttl, reply_ttl, lock_ms
        self._release = client.register_script(RELEASE_LOCK)

    def _key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}{kind}:{ident}"

    def begin(self, retry_key: str, openid: str, token: str, claim: bool = True) -> Loaded:
        """Claim the message (unless already ours), try the user's lock, read their state."""
        pipe = self.redis.pipeline(transaction=False)
        if claim:
            pipe.set(self._key("dup", retry_key), PENDING + token.encode(), nx=True,
                     ex=PENDING_TTL)
        pipe.set(self._key("lock", openid), token, nx=True, px=self.lock_ms)
        pipe.get(self._key("draft", openid))
        pipe.get(self._key("prof", openid))
        results = pipe.execute()
        claimed = bool(results.pop(0)) if claim else True
        locked, draft, profile = results
        return Loaded(claimed, bool(locked), _json(draft), _json(profile))

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
               draft: Optional[dict], profile: Optional[dict], wake: Optional[str] = None) -> None:
        """Save the draft (or drop it), cache the reply, wake waiters (and the worker), unlock."""
        pipe = self.redis.pipeline(transaction=False)
        if wake:
            pipe.rpush(wake, 1)
            pipe.ltrim(wake, -10, -1)
        draft_key = self._key("draft", openid)
        if draft is None:
            pipe.delete(draft_key)
        else:
            pipe.set(draft_key, json.dumps(draft, ensure_ascii=False), ex=self.draft_ttl)
        if profile is not None:
            pipe.set(self._key("prof", openid), json.dumps(profile, ensure_ascii=False),
                     ex=86400)
        pipe.set(self._key("dup", retry_key), reply.encode(), ex=self.reply_ttl)
        self._wake(pipe, retry_key, token)
        self._release(keys=[self._key("lock", openid)], args=[token], client=pipe)
        pipe.execute()

    def abandon(self, retry_key: str, openid: str, token: str, locked: bool = True) -> None:
        """Forget a failed turn so WeChat's retry is handled afresh; wake waiters."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(self._key("dup", retry_key))
        self._wake(pipe, retry_key, token)
        if locked:
            self._release(keys=[self._key("lock", openid)], args=[token], client=pipe)
        pipe.execute()

    def release(self, openid: str, token: str) -> None:
        """Give the user's lock back without touching anything else."""
        self._release(keys=[self._key("lock", openid)], args=[token])

    def wait_for_reply(self, retry_key: str, timeout: float) -> Optional[str]:
        """The reply of a message another request is handling (None if it never finished)."""
        cached = self.redis.get(self._key("dup", retry_key))
        if cached is not None and cached.startswith(PENDING):
            done = self._done_key(retry_key, cached[len(PENDING):].decode())
            # BLMOVE onto the same list keeps the token there for every other waiter.
            self.redis.blmove(done, done, timeout, "LEFT", "RIGHT")
            cached = self.redis.get(self._key("dup", retry_key))
        return None if cached is None or cached.startswith(PENDING) else cached.decode()

    def forget_profile(self, openid: str) -> None:
        """Drop a cached profile after the user changed outside a chat turn."""
        self.redis.delete(self._key("prof", openid))

    def _done_key(self, retry_key: str, token: str) -> str:
        return self._key("done", f"{retry_key}:{token}")

    def _wake(self, pipe, retry_key: str, token: str) -> None:
        done = self._done_key(retry_key, token)
        pipe.rpush(done, 1)
        pipe.expire(done, self.reply_ttl)


def _json(raw: Optional[bytes]) -> Optional[dict]:
    return json.loads(raw) if raw else None
