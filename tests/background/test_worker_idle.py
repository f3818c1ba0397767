"""An idle worker is quiet: its wait on the wake list always ends before the Redis client's
read timeout, on a real server and on the embedded one (whose client redis-py gives a 5 s read
timeout of its own, as long as the 5 s wait: the "Timeout reading from socket" every minute)."""
import dataclasses
import logging
import os

import pytest

from wechat_bot.background.worker import Worker
from wechat_bot.redis_conn import close_embedded, connect_redis


@pytest.fixture(params=["server", "embedded"])
def short_timeout_redis(request, tmp_path):
    """A client made as the app makes it, whose reads give up after 1 s."""
    url = os.environ.get("REDIS_URL", "") if request.param == "server" else ""
    if request.param == "server" and not url:
        pytest.skip("REDIS_URL is not set: the embedded case covers it")
    client = connect_redis(url, tmp_path / "redis", read_timeout=1)
    client.flushdb()
    yield client
    close_embedded(client)


def test_an_idle_round_waits_under_the_read_timeout_and_logs_nothing(
        database, settings, clock, short_timeout_redis, caplog):
    slow_poll = dataclasses.replace(settings.worker, poll_seconds=2)  # longer than a read may take
    worker = Worker(dataclasses.replace(settings, worker=slow_poll), short_timeout_redis, clock)
    with caplog.at_level(logging.INFO):
        assert worker.run_round()  # nothing to do: it waited on the wake list and came back
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_embedded_client_reads_with_the_timeout_asked_for(tmp_path):
    client = connect_redis("", tmp_path, read_timeout=7)
    try:
        assert client.connection_pool.connection_kwargs["socket_timeout"] == 7
        assert client.ping()
    finally:
        close_embedded(client)
