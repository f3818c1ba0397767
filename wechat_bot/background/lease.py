"""Which worker runs the scheduled jobs: a lease in Redis, renewed while alive, taken over when
it lapses. Expiry is judged by the application clock, so tests can move time instead of waiting;
a Redis TTL only cleans the key up long afterwards.
"""
from __future__ import annotations

import redis

# KEYS: lease. ARGV: holder, now (seconds), ttl (seconds). Returns 1 when `holder` holds it.
ACQUIRE = """
local current = redis.call('GET', KEYS[1])
if current then
  local holder, expires = string.match(current, '^(.*)|(%d+)$')
  if holder ~= ARGV[1] and tonumber(expires) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])), 'EX', 86400)
return 1
"""
RELEASE = """
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^(.*)|') == ARGV[1] then redis.call('DEL', KEYS[1]) end
"""


class Lease:
    """Leadership among worker processes; `hold(now)` acquires or renews it."""

    def __init__(self, client: redis.Redis, key: str, holder: str, ttl_seconds: int = 60):
        self.redis, self.key, self.holder, self.ttl = client, key, holder, ttl_seconds
        self._acquire = client.register_script(ACQUIRE)
        self._release = client.register_script(RELEASE)

    def hold(self, now_ts: int) -> bool:
        """Take the lease if it is free or lapsed, renew it if it is ours; whether we hold it."""
        return bool(self._acquire(keys=[self.key], args=[self.holder, now_ts, self.ttl]))

    def release(self) -> None:
        """Give the lease up (on a clean shutdown) so another worker takes over at once."""
        self._release(keys=[self.key], args=[self.holder])
