"""Logging in (with throttling) and out."""
from __future__ import annotations

import logging
from functools import cache

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from models.staff import StaffAccount, audit, normalize_username
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, log_in, log_out
from wechat_bot.admin.throttle import LoginThrottle

log = logging.getLogger(__name__)


@bp.get("/login")
def login():
    """The login form (logged-in staff go straight home)."""
    if current_staff() is not None:
        return redirect(url_for("admin.home"))
    return render_template("admin/login.html", next=_next_page())


@bp.post("/login")
def login_submit():
    """Check the password unless throttled; a good login starts a session and goes on."""
    username, address = normalize_username(request.form.get("username")), request.remote_addr
    throttle = _throttle()
    attempt = throttle.attempt(username, address)  # counted before the password is checked
    if attempt is None:
        log.warning("admin login refused (throttled): username=%r address=%s", username, address)
        return _login_page("throttled", username, 429)
    staff = _authenticate(username, request.form.get("password", ""))
    if staff is None:
        log.warning("admin login failed: username=%r address=%s", username, address)
        return _login_page("bad_login", username, 200)
    throttle.succeeded(username, address, attempt)
    _record_login(staff)
    return redirect(_next_page() or url_for("admin.home"))


@bp.post("/logout")
def logout():
    """End the session (POST with the form's CSRF token, so no page can log anyone out)."""
    staff = current_staff()
    if staff is not None:
        audit(staff, "logout", f"staff:{staff.username}", "", _clock().now())
    log_out()
    return redirect(url_for("admin.login"))


def _authenticate(username: str, password: str):
    """The active account whose password matches, else None; always hashes once (no timing hint)."""
    staff = StaffAccount.get_or_none(StaffAccount.username == username)
    if staff is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return staff if staff.check_password(password) and staff.active else None


@cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, made on first use (not at import)."""
    return generate_password_hash("no such account")


def _record_login(staff: StaffAccount) -> None:
    now = _clock().now()
    StaffAccount.update(last_login_at=now).where(StaffAccount.id == staff.id).execute()
    audit(staff, "login", f"staff:{staff.username}", f"address={request.remote_addr}", now)
    log_in(staff)


def _login_page(problem: str, username: str, status: int):
    return render_template("admin/login.html", problem=problem, username=username,
                           next=_next_page()), status


def _next_page() -> str:
    """Where to go after logging in: only a back-office path (never another site)."""
    target = request.values.get("next", "")
    local = target.startswith("/admin/") and "\\" not in target  # browsers read a backslash as "/"
    return target if local else ""


def _throttle() -> LoginThrottle:
    bot = current_app.extensions["baoxiu"]
    return LoginThrottle(bot.redis, bot.settings.redis.prefix, bot.clock)


def _clock():
    return current_app.extensions["baoxiu"].clock
