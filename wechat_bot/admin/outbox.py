"""The outbox in the back office: template messages by status, and retrying one by hand."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from peewee import JOIN, fn

from models.database import db
from models.notifications import DEAD, PENDING, SENDING, SENT, Notification
from models.orders import RepairOrder
from models.people import ADMIN, DISPATCHER, SUPERVISOR, User
from models.staff import audit
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.admin.order_actions import wake_worker
from wechat_bot.logs import mask

N = Notification
PAGE_SIZE = 50
RETRYING = "retrying"  # pending after at least one failed try: not a stored status
FILTERS = (PENDING, RETRYING, SENDING, SENT, DEAD)
RETRYABLE = (PENDING, DEAD)  # a sending one belongs to the worker, a sent one is done


@bp.get("/outbox")
@requires(DISPATCHER, SUPERVISOR, ADMIN)
def outbox():
    """Counts per status, then the messages newest first, filtered by status, 50 a page."""
    status = request.args.get("status") if request.args.get("status") in FILTERS else ""
    rows, next_cursor = _page(status, _int(request.args.get("after", "")))
    return render_template("admin/outbox.html", rows=rows, status=status, filters=FILTERS,
                           counts=_counts(), next_cursor=next_cursor, mask=mask,
                           may_retry=current_staff().role in (SUPERVISOR, ADMIN))


@bp.post("/outbox/<int:note_id>/retry")
@requires(SUPERVISOR, ADMIN)
def outbox_retry(note_id: int):
    """Send a dead or waiting message again now, with the same client_msg_id (shown once)."""
    note = N.get_or_none(N.id == note_id) or abort(404)
    staff, now = current_staff(), current_app.extensions["baoxiu"].clock.now()
    with db.atomic():
        # Conditional update: the worker may have claimed or sent it since the page loaded.
        # attempts restart at 0, else one more transient failure would kill it again at once.
        changed = N.update(status=PENDING, next_attempt_at=now, attempts=0, lease_until=None) \
            .where(N.id == note.id, N.status.in_(RETRYABLE)).execute()
        if changed:
            audit(staff, "outbox.retry", f"notification:{note.id}",
                  f"{note.kind} {note.status} attempts={note.attempts} {note.last_error}"[:500], now)
    if not changed:
        flash("sent" if N.get_by_id(note.id).status == SENT else "busy", "outbox_problem")
        return redirect(url_for("admin.outbox"))
    wake_worker()
    flash("retry", "outbox_done")
    return redirect(url_for("admin.outbox"))


def _page(status: str, after) -> tuple[list, str]:
    """One page, newest (highest id) first, and the next page's cursor ("" on the last)."""
    query = (N.select(N, User.name, RepairOrder.id, RepairOrder.number)
             .join(User, on=(N.recipient == User.id))
             .switch(N).join(RepairOrder, JOIN.LEFT_OUTER, on=(N.order == RepairOrder.id)))
    if status:
        query = query.where(_status_is(status))
    if after:
        query = query.where(N.id < after)
    rows = list(query.order_by(N.id.desc()).limit(PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (str(rows[-1].id) if more else "")


def _status_is(status: str):
    if status == RETRYING:
        return (N.status == PENDING) & (N.attempts > 0)
    return N.status == status


def _counts() -> dict:
    """How many messages are in each status, plus how many of the pending ones are retries."""
    counts = {code: 0 for code in FILTERS}
    counts.update(N.select(N.status, fn.COUNT(N.id)).group_by(N.status).tuples())
    counts[RETRYING] = N.select().where(_status_is(RETRYING)).count()
    return counts


def _int(text: str):
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 12 else None
