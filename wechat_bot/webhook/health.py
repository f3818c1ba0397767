"""/healthz: whether this process can reach its database and Redis."""
import logging

import redis
from flask import Blueprint, current_app, jsonify
from peewee import PeeweeException

from models import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 {"status": "ok"} when both answer, else 503 naming what failed."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    ok = all(checks.values())
    body = {"status": "ok" if ok else "degraded",
            **{name: "ok" if good else "down" for name, good in checks.items()}}
    return jsonify(body), 200 if ok else 503


def _database_ok() -> bool:
    try:
        db.execute_sql("SELECT 1")
        return True
    except PeeweeException as exc:
        log.error("health: database down: %s", exc)
        return False


def _redis_ok() -> bool:
    try:
        return bool(current_app.extensions["baoxiu"].redis.ping())
    except redis.RedisError as exc:
        log.error("health: redis down: %s", exc)
        return False
