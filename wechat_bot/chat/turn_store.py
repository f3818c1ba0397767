"""Redis side of one chat turn: retry dedup, the per-user lock, drafts and cached profiles.

Each turn is two Redis commands, each a small Lua script run atomically on the server:
BEGIN claims the message, takes the user's lock and reads their draft and profile (and the
catalogue's version, so a back-office edit reaches this process at no extra cost); FINISH
saves the draft, caches the reply for WeChat's retries, wakes waiters and releases the lock.
The reply leaves only after FINISH has answered: a command written without reading its answer
goes into a dead socket unnoticed when Redis restarted mid-turn, and the user would be told
"已记下" about a draft that is gone (and kept waiting on the lock BEGIN took). Reading the answer
costs one loopback round trip and lets the line reconnect and send FINISH again.
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

# KEYS: dup, lock, draft, profile, catalogue version. ARGV: claim (1/0), pending value,
# pending ttl, token, lock ms.
BEGIN = """
if ARGV[1] == '1' and not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[3]) then
  return {0, 0, false, false, false}
end
local locked = redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[5]) and 1 or 0
return {1, locked, redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4]),
        redis.call('GET', KEYS[5])}
"""

# KEYS: draft, profile, dup, done, lock, wake. ARGV: draft json ('' drops it), draft ttl,
# profile json ('' keeps it), reply, reply ttl, token, wake (1/0).
FINISH = """
if ARGV[1] == '' then redis.call('DEL', KEYS[1])
else redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3], 'EX', 86400) end
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
redis.call('RPUSH', KEYS[4], 1)
redis.call('EXPIRE', KEYS[4], ARGV[5])
if ARGV[7] == '1' then
  redis.call('RPUSH', KEYS[6], 1)
  redis.call('LTRIM', KEYS[6], -10, -1)
end
if redis.call('GET', KEYS[5]) == ARGV[6] then redis.call('DEL', KEYS[5]) end
"""

# KEYS: dup, done, lock. ARGV: ttl, token. Forget a failed turn and let its waiters go.
ABANDON = """
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[2], 1)
redis.call('EXPIRE', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
"""

PENDING = b"\x00pending:"  # + the owner's token, so waiters know which try to wait for
# The claim outlives any real turn but not by much: if a process dies mid-turn, WeChat's
# later retries find the claim gone and are handled afresh.
PENDING_TTL = 30


@dataclass
class Loaded:
    """What BEGIN found."""
    claimed: bool
    locked: bool
    draft: Optional[dict]
    profile: Optional[dict]
    catalogue: Optional[bytes] = None   # the catalogue's version (redis_conn.catalogue_key)


class TurnStore:
    """Key layout and Redis commands for chat turns; all keys carry the configured prefix."""

    def __init__(self, client: redis.Redis, prefix: str, draft_ttl: int,
                 reply_ttl: int = 600, lock_ms: int = 15000):
        self.redis, self.prefix = client, prefix
        read_timeout = client.connection_pool.connection_kwargs.get("socket_timeout")
        self.wait_slice = read_timeout / 2 if read_timeout else 1.0  # one blocking read's limit
        self.line = RedisLine(client)  # BEGIN and FINISH: see redis_line.py
        self.draft_ttl, self.reply_ttl, self.lock_ms = draft_ttl, reply_ttl, lock_ms
        self._shas: dict[str, str] = {}

    def _key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}{kind}:{ident}"

    def begin(self, retry_key: str, openid: str, token: str, claim: bool = True) -> Loaded:
        """Claim the message (unless already ours), try the user's lock, read their state."""
        keys = [self._key("dup", retry_key), self._key("lock", openid),
                self._key("draft", openid), self._key("prof", openid),
                catalogue_key(self.prefix)]
        args = [int(claim), PENDING + token.encode(), PENDING_TTL, token, self.lock_ms]
        claimed, locked, draft, profile, catalogue = self._run(BEGIN, keys, args)
        return Loaded(bool(claimed), bool(locked), _json(draft), _json(profile), catalogue)

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
               draft: Optional[dict], profile: Optional[dict], wake: bool = False) -> None:
        """Save the draft (or drop it), cache the reply, wake waiters (and the worker), unlock."""
        keys = [self._key("draft", openid), self._key("prof", openid),
                self._key("dup", retry_key), self._done_key(retry_key, token),
                self._key("lock", openid), wake_key(self.prefix)]
        args = ["" if draft is None else json.dumps(draft, ensure_ascii=False), self.draft_ttl,
                "" if profile is None else json.dumps(profile, ensure_ascii=False),
                reply.encode(), self.reply_ttl, token, int(bool(wake))]
        self._run(FINISH, keys, args)

    def abandon(self, retry_key: str, openid: str, token: str) -> None:
        """Forget a failed turn so WeChat's retry is handled afresh; wake waiters, unlock."""
        keys = [self._key("dup", retry_key), self._done_key(retry_key, token),
                self._key("lock", openid)]
        self._run(ABANDON, keys, [self.reply_ttl, token])

    def wait_for_reply(self, retry_key: str, timeout: float) -> Optional[str]:
        """The reply of a message another request is handling (None if it never finished)."""
        deadline = time.monotonic() + timeout
        while True:
            cached = self.redis.get(self._key("dup", retry_key))
            remaining = deadline - time.monotonic()
            if cached is None or not cached.startswith(PENDING) or remaining <= 0:
                break
            done = self._done_key(retry_key, cached[len(PENDING):].decode())
            # BLMOVE onto the same list keeps the token there for every other waiter. Each
            # wait ends before the client's socket timeout would turn it into an error.
            self.redis.blmove(done, done, min(remaining, self.wait_slice), "LEFT", "RIGHT")
        return None if cached is None or cached.startswith(PENDING) else cached.decode()

    def _run(self, script: str, keys: list, args: list):
        """EVALSHA the script, loading it first if this Redis does not know it yet."""
        sha = self._shas.get(script)
        if sha is not None:
            try:
                return self.line.call("EVALSHA", sha, len(keys), *keys, *args)
            except redis.exceptions.NoScriptError:
                pass  # Redis restarted or was flushed: load it again
        self._shas[script] = self.redis.script_load(script)
        return self.line.call("EVALSHA", self._shas[script], len(keys), *keys, *args)

    def _done_key(self, retry_key: str, token: str) -> str:
        return self._key("done", f"{retry_key}:{token}")


def _json(raw: Optional[bytes]) -> Optional[dict]:
    return json.loads(raw) if raw else None
