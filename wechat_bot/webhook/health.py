"""/healthz, and the same facts for `run.py worker --check`: whether the database and Redis
answer, and whether a worker finished a round lately (ok / stale / unknown)."""
from typing import Optional

from flask import Blueprint, current_app, jsonify

from models.database import check_database
from wechat_bot.config import Settings
from wechat_bot.outages import Outages
from wechat_bot.redis_conn import check_redis, last_beat

bp = Blueprint("health", __name__)
# A round takes seconds and an idle worker beats every poll: two minutes of silence beyond the
# poll means it is stuck, backing off from an outage, or gone.
STALE_SECONDS = 120
# A monitor probes every few seconds: log a service going down once, and its return.
OUTAGES = Outages(who="health", then="")


@bp.get("/healthz")
def healthz():
    """200 when this process reaches its database and Redis, else 503; the worker beside."""
    bot = current_app.extensions["baoxiu"]
    report = health_report(bot.settings, bot.redis, bot.clock.timestamp())
    OUTAGES.note({service: report[f"{service}_error"] for service in ("database", "redis")})
    ok = report["database"] == report["redis"] == "ok"
    body = {"status": "ok" if ok else "degraded",
            **{key: report[key] for key in ("database", "redis", "worker", "worker_seen")}}
    return jsonify(body), 200 if ok else 503


def health_report(settings: Settings, client, now_ts: int) -> dict:
    """Each service ok or down (with the error), the worker ok, stale or unknown."""
    database, redis_error = check_database(), check_redis(client)
    seen = None if redis_error else _seconds_since_beat(client, settings.redis.prefix, now_ts)
    fresh = STALE_SECONDS + settings.worker.poll_seconds
    worker = "unknown" if seen is None else "ok" if seen <= fresh else "stale"
    return {"database": "ok" if database is None else "down", "database_error": database,
            "redis": "ok" if redis_error is None else "down", "redis_error": redis_error,
            "worker": worker, "worker_seen": seen}


def health_line(report: dict) -> str:
    """One line for scripts and supervisors: `database ok; redis ok; worker ok (…)`."""
    parts = [f"{name} ok" if report[name] == "ok" else f"{name} down ({report[name + '_error']})"
             for name in ("database", "redis")]
    seen = report["worker_seen"]
    when = "no heartbeat read" if seen is None else f"last round {seen} s ago"
    return "; ".join([*parts, f"worker {report['worker']} ({when})"])


def all_ok(report: dict) -> bool:
    """Whether the database, Redis and the worker are all ok."""
    return report["database"] == report["redis"] == report["worker"] == "ok"


def _seconds_since_beat(client, prefix: str, now_ts: int) -> Optional[int]:
    last = last_beat(client, prefix)
    return None if last is None else max(0, now_ts - last)
