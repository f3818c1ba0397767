"""Back-office sessions: the signed cookie (key and flags) and the server's record of live logins."""
from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from wechat_bot.config import Settings

log = logging.getLogger(__name__)
SESSION_HOURS = 8  # one working shift; the login also expires by the app's clock (guard.py)
KEY_FILE = "secret_key"


def configure_sessions(app: Flask, settings: Settings) -> None:
    """Set the signing key and cookie flags (HttpOnly, SameSite=Lax, Secure on request)."""
    app.config.update(
        SECRET_KEY=settings.app.secret_key or data_dir_key(settings.data_path / KEY_FILE),
        SESSION_COOKIE_NAME="bx_session", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.app.https,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # A form's token lives as long as the session it belongs to, not Flask-WTF's 1 hour.
        WTF_CSRF_TIME_LIMIT=None)
    app.session_interface = BackOfficeSessions()


class BackOfficeSessions(SecureCookieSessionInterface):
    """Only /admin has sessions: the WeChat webhook skips reading and signing a cookie."""

    def open_session(self, app: Flask, request):
        if not request.path.startswith("/admin"):
            return self.null_session_class()
        return super().open_session(app, request)


def data_dir_key(path: Path) -> str:
    """The key stored at `path`, made on first use.

    Every web worker and restart must sign with the same key, or sessions break; a file in
    the data directory (outside git) gives one key per installation without any setup.
    Several web hosts need [app] secret_key (or WECHAT_BOT_SECRET_KEY) instead.
    """
    if not path.exists():
        _write_once(path, secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def _write_once(path: Path, key: str) -> None:
    """Write the key unless another process wins the race (link() is atomic, never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    try:
        os.link(temp, path)
        log.warning("app.secret_key is empty: generated one in %s (set it for several hosts)", path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()


class LiveSessions:
    """Logins the server still honours, in Redis: logging out deletes the record, so a cookie
    copied or kept from before is refused even though its signature is still good."""

    def __init__(self, redis, prefix: str):
        self.redis, self.prefix = redis, f"{prefix}admin:session:"

    def start(self, sid: str, staff_id: int) -> None:
        """Record a new login for one working shift."""
        self.redis.set(self.prefix + sid, staff_id, ex=SESSION_HOURS * 3600)

    def holds(self, sid: str, staff_id: int) -> bool:
        """Whether `sid` is a live login of `staff_id`."""
        return bool(sid) and self.redis.get(self.prefix + sid) == str(staff_id).encode()

    def end(self, sid: str) -> None:
        """Forget a login (logging out)."""
        if sid:
            self.redis.delete(self.prefix + sid)
