"""What /healthz and `run.py worker --check` say: the database and Redis, and whether a worker
finished a round lately (its heartbeat in Redis, on the app clock)."""
import dataclasses
import logging
import subprocess
import sys
from pathlib import Path

from tests.background.test_worker_crash import worker_config
from tests.cli.test_cli import free_port
from wechat_bot import create_app
from wechat_bot.background.wake import wake_key
from wechat_bot.background.worker import Worker
from wechat_bot.clock import Clock
from wechat_bot.redis_conn import connect_redis
from wechat_bot.outages import Outages
from wechat_bot.webhook import health
from wechat_bot.webhook.health import STALE_SECONDS

ROOT = Path(__file__).resolve().parents[2]


def one_round(worker, redis_client, prefix):
    """A worker round that finds nothing to do (its idle wait rung at once, not waited out)."""
    redis_client.rpush(wake_key(prefix), 1)
    assert worker.run_round()


def test_healthz_says_whether_a_worker_ran_lately(client, worker, clock, redis_db, settings):
    assert client.get("/healthz").json["worker"] == "unknown"
    one_round(worker, redis_db, settings.redis.prefix)
    assert client.get("/healthz").json == {"status": "ok", "database": "ok", "redis": "ok",
                                           "worker": "ok", "worker_seen": 0}
    clock.advance(seconds=STALE_SECONDS + settings.worker.poll_seconds)
    assert client.get("/healthz").json["worker"] == "ok"
    clock.advance(seconds=1)
    stale = client.get("/healthz")
    assert stale.json["worker"] == "stale" and stale.json["worker_seen"] == 126
    assert stale.status_code == 200  # a stale worker is no reason to take the web off the air
    one_round(worker, redis_db, settings.redis.prefix)
    assert client.get("/healthz").json["worker"] == "ok"


def test_healthz_with_redis_down_is_503_and_cannot_know_the_worker(
        settings, clock, database, tmp_path):
    dead = connect_redis(f"redis://127.0.0.1:{free_port()}/0", tmp_path)
    response = create_app(settings, clock=clock, redis_client=dead).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "ok", "redis": "down",
                             "worker": "unknown", "worker_seen": None}


def test_healthz_logs_a_service_going_down_once_and_its_return(
        settings, clock, database, redis_db, tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(health, "OUTAGES", Outages(who="health", then=""))
    dead = connect_redis(f"redis://127.0.0.1:{free_port()}/0", tmp_path)
    probe = create_app(settings, clock=clock, redis_client=dead).test_client()
    live = create_app(settings, clock=clock, redis_client=redis_db).test_client()
    with caplog.at_level(logging.INFO, logger="wechat_bot.outages"):
        for _ in range(3):   # a monitor probing every few seconds
            assert probe.get("/healthz").status_code == 503
        assert live.get("/healthz").status_code == 200
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "wechat_bot.outages"]
    assert [level for level, _ in said] == ["ERROR", "INFO"]
    assert said[0][1].startswith("health: redis is down (")
    assert said[1][1].startswith("health: redis is back after ")


def check(config) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", "worker", "--check", "--config", config],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_worker_check_prints_one_line_and_exits_0_only_when_all_is_well(
        tmp_path, worker, settings, redis_db):
    config = worker_config(tmp_path, settings, redis_db)
    never = check(config)
    assert (never.returncode, never.stdout) == (
        1, "database ok; redis ok; worker unknown (no heartbeat read)\n")

    one_round(worker, redis_db, settings.redis.prefix)  # on the manual clock: days ago
    stale = check(config)
    assert stale.returncode == 1
    assert stale.stdout.startswith("database ok; redis ok; worker stale (last round ")

    one_round(Worker(settings, redis_db, Clock(settings.app.timezone)), redis_db,
              settings.redis.prefix)
    fresh = check(config)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert fresh.stdout.startswith("database ok; redis ok; worker ok (last round ")
    assert len(fresh.stdout.splitlines()) == 1


def test_worker_check_names_a_service_that_is_down(tmp_path, settings, database, redis_db):
    dead = dataclasses.replace(settings, database=dataclasses.replace(
        settings.database, url=f"postgresql://postgres@127.0.0.1:{free_port()}/gone"))
    result = check(worker_config(tmp_path, dead, redis_db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("database down (") and "; redis ok; worker " in result.stdout
    assert len(result.stdout.splitlines()) == 1, result.stdout  # psycopg2's errors span lines
