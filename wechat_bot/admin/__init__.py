"""The web back office under /admin/: staff accounts and roles, orders and the desk's actions,
phone entry, printing, the catalogue and people, invites, posters, dashboards and exports.

It may import the plumbing, wechat_api/, background/dispatch.py (dispatch by hand) and wake.py,
`handlers` (their shared rules: phone format, place matching, limits) and `models`; never chat/.

Add a page: a view in a module here with `@bp.get(...)` and `@requires(role, ...)`, its
template under templates/admin/, and, to show a link on the home page, its endpoint in
home.NAV and its Chinese name in templates/admin/_labels.html.
"""
from __future__ import annotations

import logging
import re

from flask import Blueprint, Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from peewee import InterfaceError, OperationalError
from redis import RedisError

from wechat_bot.admin.guard import current_staff, may_open
from wechat_bot.admin.sessions import configure_sessions

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin", static_folder="static")
csrf = CSRFProtect()

# No inline script or style, no framing, forms post only back here.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Sessions and CSRF for the whole app (the WeChat webhook is exempt), then the pages."""
    configure_sessions(app, app.extensions["baoxiu"].settings)
    csrf.init_app(app)
    app.register_blueprint(bp)


# Control characters (tab and line breaks aside) are never typed by a person; PostgreSQL
# refuses NUL outright, which would otherwise surface as a 500 deep in some save.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@bp.before_request
def _refuse_control_characters():
    """Any form or query value with a control character: a 400 page, nothing saved."""
    for values in (*request.args.listvalues(), *request.form.listvalues()):
        if any(CONTROL.search(value) for value in values):
            return render_template("admin/error.html", problem="control_chars"), 400
    return None


@bp.context_processor
def _page_helpers() -> dict:
    settings = current_app.extensions["baoxiu"].settings
    return {"staff": current_staff(), "may_open": may_open,
            "unit_label": settings.conversation.unit_label}   # 学院/部门, 楼栋房号 or ""


@bp.after_request
def _secure_headers(response):
    response.headers.update(SECURITY_HEADERS)
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"  # pages show staff data: keep them off disks
    return response


@bp.errorhandler(403)
def _forbidden(exc):
    return render_template("admin/error.html", problem="forbidden"), 403


@bp.errorhandler(CSRFError)
def _csrf_failed(exc):
    return render_template("admin/error.html", problem="csrf"), 400


@bp.errorhandler(RedisError)
@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def _service_down(exc):
    """Redis or the database gone mid-request: a page that says so (and that nothing was saved)
    instead of a bare 500; the next request reconnects."""
    log.error("back office: %s %s failed, a service is down: %s", request.method, request.path, exc)
    g.staff = None   # the page must not ask Redis or the database who is logged in
    return render_template("admin/error.html", problem="service_down"), 503, {"Retry-After": "30"}


# Each module's views register on bp when it is imported; one line a module.
from wechat_bot.admin import auth  # noqa: E402,F401
from wechat_bot.admin import home  # noqa: E402,F401
from wechat_bot.admin import orders  # noqa: E402,F401
from wechat_bot.admin import outbox  # noqa: E402,F401
from wechat_bot.admin import phone_entry  # noqa: E402,F401
from wechat_bot.admin import printing  # noqa: E402,F401
from wechat_bot.admin import staff  # noqa: E402,F401
from wechat_bot.admin import posters  # noqa: E402,F401
from wechat_bot.admin import dashboard  # noqa: E402,F401
from wechat_bot.admin import catalogue  # noqa: E402,F401
from wechat_bot.admin import people  # noqa: E402,F401
from wechat_bot.admin import invites  # noqa: E402,F401
from wechat_bot.admin import handoffs  # noqa: E402,F401
