"""转人工 in the back office: who asked in chat for a person, with what the desk needs to call
them back (name, phone, unit, recent orders), and 已处理 once someone has."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for

from models.database import db
from models.handoff import HandoffRequest, mark_handled
from models.orders import RepairOrder
from models.people import User
from models.staff import DESK_ROLES, StaffAccount, audit
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires

SHOWN = 50          # open requests on the page; more waiting is said in the count
RECENT_ORDERS = 3   # each person's newest orders, to see what they may be calling about
HANDLED_SHOWN = 10  # the latest handled requests, so a colleague sees who took one


@bp.get("/handoffs")
@requires(*DESK_ROLES)
def handoffs():
    """Open requests newest first, each with the person's recent orders; the latest handled."""
    waiting = HandoffRequest.open_requests(SHOWN)
    return render_template("admin/handoffs.html", waiting=waiting, total=open_count(),
                           orders={r.user_id: RepairOrder.recent_for(r.user_id, RECENT_ORDERS)
                                   for r in waiting},
                           handled=_recently_handled())


@bp.post("/handoffs/<int:request_id>/handled")
@requires(*DESK_ROLES)
def handoff_handled(request_id: int):
    """已处理: the desk has called or answered the person (audited)."""
    found = HandoffRequest.get_or_none(HandoffRequest.id == request_id) or abort(404)
    staff, now = current_staff(), current_app.extensions["baoxiu"].clock.now()
    with db.atomic():
        done = mark_handled(found.id, staff, now)
        if done:
            audit(staff, "handoff.handled", f"handoff:{found.id}",
                  f"{found.user.name} {found.user.phone} {found.text}".strip()[:500], now)
    flash("handled" if done else "already", "handoff")
    return redirect(url_for("admin.handoffs"))


def open_count() -> int:
    """How many people wait for the desk (the home page shows it beside the link)."""
    return HandoffRequest.open_count()


def _recently_handled() -> list:
    return list(HandoffRequest.select(HandoffRequest, StaffAccount, User)
                .join(StaffAccount, on=(HandoffRequest.handled_by == StaffAccount.id))
                .switch(HandoffRequest).join(User)
                .where(HandoffRequest.handled_at.is_null(False))
                .order_by(HandoffRequest.handled_at.desc(), HandoffRequest.id.desc())
                .limit(HANDLED_SHOWN))
