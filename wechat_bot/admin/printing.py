"""Printed paper: the 派工单 of one order (A5 or A4), and the day's unfinished orders."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, current_app, render_template, request

from models.daily_lists import MOST, unfinished_at
from models.orders import Attachment, RepairOrder
from models.staff import STAFF_ROLES
from wechat_bot.admin import bp
from wechat_bot.admin.guard import requires

SIZES = ("a5", "a4")
MAX_THUMBS = 4   # the reporter sends up to four photos; all fit on an A5 sheet


@bp.get("/orders/<int:order_id>/print")
@requires(*STAFF_ROLES)
def order_print(order_id: int):
    """The 派工单 to hand to the engineer: the facts, photos, times and signature lines."""
    order = RepairOrder.get_or_none(RepairOrder.id == order_id) or abort(404)
    size = request.args.get("size", "a5")
    thumbs = list(Attachment.select().where(Attachment.order == order, Attachment.downloaded,
                                            Attachment.stage == "before")
                  .order_by(Attachment.id).limit(MAX_THUMBS))
    return render_template("admin/print/order.html", order=order, thumbs=thumbs,
                           size=size if size in SIZES else "a5", **letterhead())


@bp.get("/orders/unfinished")
@requires(*STAFF_ROLES)
def unfinished():
    """当日未完成记录: the orders still open at the end of the chosen day (today by default)."""
    now = _clock().now()
    day, bad_day = _day(request.args.get("day", ""), now.date())
    end = datetime.combine(day + timedelta(days=1), time())
    rows, total = unfinished_at(end, now)
    return render_template("admin/print/unfinished.html", rows=rows, total=total, most=MOST,
                           day=day, end=min(end, now), bad_day=bad_day, **letterhead())


def _day(text: str, today: date) -> tuple[date, bool]:
    """The day asked for, or today (and True when what was typed is not a past or present day)."""
    if not text:
        return today, False
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today, True
    return (day, False) if day <= today else (today, True)


def letterhead() -> dict:
    """Who prints (the [app] organization and desk phone) and when, for any printed page."""
    bot = current_app.extensions["baoxiu"]
    return {"organization": bot.settings.app.organization,
            "service_phone": bot.settings.app.service_phone, "printed_at": bot.clock.now()}


def _clock():
    return current_app.extensions["baoxiu"].clock
