"""Who is logged in, and the role guard every back-office page sits behind."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import wraps
from typing import Optional

from flask import abort, current_app, g, redirect, request, session, url_for

from models.staff import STAFF_ROLES, StaffAccount
from wechat_bot.admin.sessions import SESSION_HOURS, LiveSessions

SESSION_KEY = "staff_id"


def current_staff() -> Optional[StaffAccount]:
    """The logged-in, active account of this request, or None (looked up once per request)."""
    if "staff" not in g:
        g.staff = _load_staff()
    return g.staff


def _load_staff() -> Optional[StaffAccount]:
    staff_id, since = session.get(SESSION_KEY), session.get("login_at", 0)
    if staff_id is None:
        return None
    if _clock().timestamp() - since > SESSION_HOURS * 3600:  # a login ends after one shift
        session.clear()
        return None
    if not _live_sessions().holds(session.get("sid", ""), staff_id):
        session.clear()  # logged out (here or elsewhere): a copy of the cookie opens nothing
        return None
    # Re-read on every request: a deactivated account or a changed role takes effect at once.
    staff = StaffAccount.get_or_none(StaffAccount.id == staff_id)
    if staff is None or not staff.active or session.get("pw") != _password_mark(staff):
        session.clear()  # switched off, or a new password since: this login is over for good
        return None
    return staff


def log_in(staff: StaffAccount) -> None:
    """Start a fresh session for `staff` (nothing from before the login is kept)."""
    session.clear()
    session.permanent = True
    session[SESSION_KEY], session["login_at"] = staff.id, _clock().timestamp()
    session["pw"] = _password_mark(staff)
    session["sid"] = secrets.token_urlsafe(18)
    _live_sessions().start(session["sid"], staff.id)
    g.staff = staff


def keep_login(staff: StaffAccount) -> None:
    """After `staff` changed their own password: this session stays, the others end."""
    session["pw"] = _password_mark(staff)


def log_out() -> None:
    """End the session here and on the server, so a saved copy of the cookie is worthless."""
    _live_sessions().end(session.get("sid", ""))
    session.clear()
    g.staff = None


def requires(*roles: str):
    """Guard a view: anonymous users go to the login page, other roles get 403."""
    if not roles or not set(roles) <= set(STAFF_ROLES):
        raise ValueError(f"requires() takes roles from {STAFF_ROLES}, got {roles}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                return redirect(url_for("admin.login", next=_here()))
            if staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        guarded.allowed_roles = frozenset(roles)  # read by may_open() for links
        return guarded
    return decorate


def may_open(endpoint: str) -> bool:
    """True when the logged-in account passes the guard of `endpoint` (to show its link)."""
    staff = current_staff()
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", frozenset())
    return staff is not None and staff.role in allowed


def _password_mark(staff: StaffAccount) -> str:
    """A keyed fingerprint of the password hash: a new password ends the sessions made before."""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) \
        else current_app.secret_key
    return hmac.new(key, staff.password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def _here() -> str:
    return request.full_path if request.query_string else request.path


def _clock():
    return current_app.extensions["baoxiu"].clock


def _live_sessions() -> LiveSessions:
    bot = current_app.extensions["baoxiu"]
    return LiveSessions(bot.redis, bot.settings.redis.prefix)
