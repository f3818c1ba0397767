"""What the desk does to an order by hand: review, dispatch, re-dispatch, cancel, reopen, 回访, close.

Each action writes what the chat writes (the status change and its OrderEvent through
models.workflow.fire, and the same notifications) plus an AuditLog row, all in one
transaction, then wakes the worker so the notices go out at once.
"""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, request, url_for

from models.database import db
from models.lifecycle import SUBMITTED, IllegalTransition, find_transition
from models.orders import RepairOrder
from models.people import EngineerProfile, User
from models.staff import DESK_ROLES, audit
from models.workflow import fire, record_event
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.background.dispatch import Dispatcher
from wechat_bot.background.wake import ring

log = logging.getLogger(__name__)
MAX_NOTE = 200
CALLBACK_STATES = ("completed", "rated", "closed")


class Refused(Exception):
    """A change that does not apply to this order; `problem` names the page's message."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


@bp.post("/orders/<int:order_id>/review")
@requires(*DESK_ROLES)
def order_review(order_id: int):
    """受理: the desk has read the order (stamps reviewed_at; the status stays)."""
    return act(order_id, "review", _note())


@bp.post("/orders/<int:order_id>/dispatch")
@requires(*DESK_ROLES)
def order_dispatch(order_id: int):
    """派单 by hand to any active engineer; only a submitted (e.g. queued) order."""
    engineer = _active_engineer(request.form.get("engineer", ""))
    if engineer is None:
        return refused(order_id, "no_engineer")
    note = current_app.extensions["baoxiu"].texts.say("events/dispatched", name=engineer.name)

    def to_engineer(order, now, staff):  # the worker's dispatch, with the staff's note
        bot = current_app.extensions["baoxiu"]
        Dispatcher(bot.notifier, bot.texts).to_engineer(order, engineer.id, now, staff.user_id,
                                                        note=staff_note(note, staff))
    return act(order_id, "dispatch", note, change=to_engineer, only_from=SUBMITTED)


@bp.post("/orders/<int:order_id>/redispatch")
@requires(*DESK_ROLES)
def order_redispatch(order_id: int):
    """改派: take a running job from its engineer and give it to another, with a reason.

    The old engineer hears the job is no longer theirs, the reporter who has it now; both
    steps (reassign, then dispatch) land in the timeline in one transaction.
    """
    engineer = _active_engineer(request.form.get("engineer", ""))
    reason = _note()
    if engineer is None:
        return refused(order_id, "no_engineer")
    if not reason:
        return refused(order_id, "redispatch_reason")
    texts = current_app.extensions["baoxiu"].texts

    def redispatch(order, now, staff):
        if order.engineer_id == engineer.id:
            raise Refused("same_engineer")
        find_transition(order, "reassign", now)  # refuse before telling anyone anything
        previous = order.engineer
        fire(order, "reassign", staff.user_id, now, note=staff_note(reason, staff),
             engineer=None)
        if previous is not None:
            _notifier().queue("cancelled", previous, order, now,
                              note=texts.say("events/reassigned_away", reason=reason))
        Dispatcher(_notifier(), texts).to_engineer(
            order, engineer.id, now, staff.user_id,
            note=staff_note(texts.say("events/dispatched", name=engineer.name), staff))
        _notifier().queue("transferred", order.reporter, order, now,
                          note=texts.say("events/reassigned_to", name=engineer.name))
    return act(order_id, "redispatch", f"{engineer.name}：{reason}", change=redispatch)


@bp.post("/orders/<int:order_id>/cancel")
@requires(*DESK_ROLES)
def order_cancel(order_id: int):
    """取消 with a reason; the engineer it was dispatched to is told, as in the chat, and the
    reporter too (templates/notify/cancelled.toml: they hear when staff cancel)."""
    reason = _note()
    if not reason:
        return refused(order_id, "reason_needed")

    def cancel(order, now, staff):
        fire(order, "cancel", staff.user_id, now, note=staff_note(reason, staff))
        if order.engineer_id:
            _notifier().queue("cancelled", order.engineer, order, now, note=reason)
        _notifier().queue("cancelled", order.reporter, order, now, note=reason)
    return act(order_id, "cancel", reason, change=cancel)


@bp.post("/orders/<int:order_id>/reopen")
@requires(*DESK_ROLES)
def order_reopen(order_id: int):
    """返修 within 7 days of completion: back to submitted, the worker dispatches it again."""
    reason = _note()

    def reopen(order, now, staff):  # as handlers.followups.reopen
        fire(order, "reopen", staff.user_id, now, note=staff_note(reason, staff), engineer=None,
             queued_at=None)
    return act(order_id, "reopen", reason, change=reopen)


@bp.post("/orders/<int:order_id>/callback")
@requires(*DESK_ROLES)
def order_callback(order_id: int):
    """回访: the result of calling the reporter back goes on the timeline; the flag clears."""
    result = _note()
    if not result:
        return refused(order_id, "result_needed")

    def record(order, now, staff):
        if order.status not in CALLBACK_STATES:
            raise IllegalTransition("callback", order.status)
        record_event(order, "callback", staff.user_id, now, note=staff_note(result, staff))
        RepairOrder.update(callback_needed=False).where(RepairOrder.id == order.id).execute()
    return act(order_id, "callback", result, change=record)


@bp.post("/orders/<int:order_id>/close")
@requires(*DESK_ROLES)
def order_close(order_id: int):
    """关闭 a completed or rated order (the chat closes unrated ones after the survey)."""
    return act(order_id, "close", _note())


def act(order_id: int, action: str, detail: str, change=None, only_from: str = ""):
    """Run one change with its audit row in a transaction, wake the worker, go back.

    The page then says what was done: the change may name its own outcome (a DONE code) by
    returning it, else the action's.
    """
    order = RepairOrder.get_or_none(RepairOrder.id == order_id) or abort(404)
    staff, now = current_staff(), current_app.extensions["baoxiu"].clock.now()
    change = change or (lambda o, t, s: fire(o, action, s.user_id, t, note=staff_note(detail, s)))
    try:
        if only_from and order.status != only_from:
            raise IllegalTransition(action, order.status)
        with db.atomic():
            outcome = change(order, now, staff)
            audit(staff, f"order.{action}", f"order:{order.number}", detail, now)
    except IllegalTransition:  # not allowed now, or someone moved the order meanwhile
        return refused(order_id, "wrong_state")
    except Refused as refusal:
        return refused(order_id, refusal.problem)
    wake_worker()
    flash(outcome if isinstance(outcome, str) else action, "order_done")
    return redirect(url_for("admin.order_page", order_id=order_id))


def refused(order_id: int, problem: str):
    flash(problem, "order_problem")
    return redirect(url_for("admin.order_page", order_id=order_id))


def wake_worker() -> None:
    """Tell the worker there is work; it polls anyway, so a Redis hiccup only delays."""
    bot = current_app.extensions["baoxiu"]
    ring(bot.redis, bot.settings.redis.prefix)


def _active_engineer(text: str):
    if not (text.isascii() and text.isdigit()):
        return None
    return (User.select().join(EngineerProfile)
            .where(User.id == int(text), EngineerProfile.active).first())


def _note() -> str:
    return request.form.get("note", "").strip()[:MAX_NOTE]


def staff_note(note: str, staff) -> str:
    """The event's note with who did it from the back office (the username)."""
    # A format string, not a rendered template: the note is stored as plain text and
    # escaped where it is shown, so it must not be HTML-escaped here.
    by = current_app.jinja_env.get_template("admin/order_texts.html").module.NOTE["by"]
    return by.format(note=note, username=staff.username).strip()


def _notifier():
    return current_app.extensions["baoxiu"].notifier
