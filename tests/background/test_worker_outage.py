"""The worker when the database or Redis is down: one line down, one line back, waits that back
off to a cap, and after `max_failed_rounds` failed rounds in a row an exit with status 1 for the
supervisor to restart it. Real services on dead ports; the waits are recorded, not slept."""
import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import create_tables, db, open_database
from tests.cli.test_cli import free_port
from wechat_bot.background.wake import wake_key
from wechat_bot.background.worker import Worker
from wechat_bot.redis_conn import connect_redis

ROOT = Path(__file__).resolve().parents[2]


def with_worker(settings, **values):
    return dataclasses.replace(settings, worker=dataclasses.replace(settings.worker, **values))


def lines(caplog, level=logging.INFO):
    """The worker's log lines at `level` or above, as operators read them."""
    return [record.getMessage() for record in caplog.records
            if record.levelno >= level and record.name.startswith(("wechat_bot.background", "wechat_bot.outages"))]


@pytest.fixture
def dead_database(database):
    """The app's database handle pointed at a PostgreSQL port nobody listens on."""
    working = db.obj
    open_database(f"postgresql://postgres@127.0.0.1:{free_port()}/gone")
    yield
    db.initialize(working)


def test_on_a_dead_redis_the_worker_backs_off_then_exits_non_zero(
        database, settings, clock, tmp_path, caplog):
    settings = with_worker(settings, poll_seconds=2, max_backoff_seconds=5, max_failed_rounds=5)
    dead = connect_redis(f"redis://127.0.0.1:{free_port()}/1", tmp_path)
    waits = []
    worker = Worker(settings, dead, clock, wait=waits.append)
    with caplog.at_level(logging.DEBUG):
        assert worker.run_forever() == 1
    assert waits == [2, 4, 5, 5]  # doubling, bounded; none after the last failed round
    errors = lines(caplog, logging.ERROR)
    assert len(errors) == 2, errors
    assert errors[0].startswith("worker: redis is down (")
    assert errors[1].startswith("worker: 5 rounds failed in a row; exiting")


def test_on_a_dead_database_the_worker_exits_non_zero(
        dead_database, settings, clock, redis_db, caplog):
    waits = []
    worker = Worker(with_worker(settings, max_failed_rounds=3), redis_db, clock,
                    wait=waits.append)
    with caplog.at_level(logging.DEBUG):
        assert worker.run_forever() == 1
    assert waits == [5, 10]
    errors = lines(caplog, logging.ERROR)
    assert [line.split(" (")[0] for line in errors] == [
        "worker: database is down", "worker: 3 rounds failed in a row; exiting for the "
                                    "supervisor to start a fresh worker"]


def test_one_line_when_the_database_goes_down_and_one_when_it_is_back(
        database, settings, clock, redis_db, caplog):
    worker = Worker(settings, redis_db, clock, wait=lambda seconds: None)
    working = db.obj
    with caplog.at_level(logging.INFO):
        open_database(f"postgresql://postgres@127.0.0.1:{free_port()}/gone")
        try:
            assert [worker.run_round() for _ in range(4)] == [False] * 4
        finally:
            db.initialize(working)
        redis_db.rpush(wake_key(settings.redis.prefix), 1)  # the idle wait returns at once
        assert worker.run_round()
        redis_db.rpush(wake_key(settings.redis.prefix), 1)
        assert worker.run_round()
    said = lines(caplog)
    assert len(said) == 2, said
    assert said[0].startswith("worker: database is down (")
    assert said[1].startswith("worker: database is back after ")


@pytest.mark.parametrize("down", ["redis", "database"])
def test_run_py_worker_exits_1_without_a_traceback_when_a_service_stays_down(
        down, settings, database, redis_db, tmp_path):
    # Started while the database was down, it used to die in its table check with a traceback.
    dead = f"127.0.0.1:{free_port()}"
    redis_url = os.environ.get("REDIS_URL") or f"unix://{redis_db.socket_file}"
    config = tmp_path / f"dead-{down}.toml"
    config.write_text(f"""
[app]
data_dir = "{tmp_path}"
[wechat]
token = "t"
app_id = "{settings.wechat.app_id}"
app_secret = "{settings.wechat.app_secret}"
api_base_url = "{settings.wechat.api_base_url}"
[database]
url = "{f'postgresql://postgres@{dead}/gone' if down == 'database' else settings.database.url}"
[redis]
url = "{f'redis://{dead}/1' if down == 'redis' else redis_url}"
[worker]
max_failed_rounds = 2
max_backoff_seconds = 1
""", encoding="utf-8")
    result = subprocess.run([sys.executable, "run.py", "worker", "--config", str(config)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if " ERROR " in line]
    assert len(said) == 2 and f"worker: {down} is down" in said[0], result.stderr


def test_a_worker_makes_its_tables_once_the_database_can_be_opened(
        database, settings, clock, redis_db, tmp_path):
    working = db.obj
    path = tmp_path / "not-yet" / "bot.db"   # SQLite cannot open a file in a missing directory
    open_database(f"sqlite:///{path}")
    try:
        worker = Worker(settings, redis_db, clock, wait=lambda seconds: None,
                        prepare=create_tables)
        assert worker.run_round() is False
        path.parent.mkdir()
        redis_db.rpush(wake_key(settings.redis.prefix), 1)  # the idle wait returns at once
        assert worker.run_round() is True
        assert "repair_order" in db.get_tables() and worker.prepare is None
    finally:
        db.close()
        db.initialize(working)
