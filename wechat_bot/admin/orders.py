"""Orders in the back office: the filtered list, one order's page, and its photos."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, get_flashed_messages, render_template, request, send_file

from models.assignment_data import suggest
from models.catalogue import FaultType, Location
from models.lifecycle import SUBMITTED, can_fire
from models.orders import Attachment, OrderEvent, RepairOrder
from models.people import EngineerProfile, User
from models.shifts import plan_from_config
from models.sla import clock_states
from models.sla_data import order_clock
from models.sla_limits import limits_for
from models.sla_overrides import effective_sla
from models.staff import DESK_ROLES, STAFF_ROLES
from wechat_bot.admin import bp, order_search
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.admin.order_query import page, parse_filters, pinned

ACTIONS = ("review", "dispatch", "redispatch", "complete", "cancel", "reopen", "callback", "close")


@bp.get("/orders")
@requires(*STAFF_ROLES)
def orders():
    """The list, newest first, filtered by the query string, 50 a page; open urgent orders
    pinned above the first."""
    bot = current_app.extensions["baoxiu"]
    filters, after, now = parse_filters(request.args), request.args.get("after", ""), \
        bot.clock.now()
    found = page(filters, after, now, bot.settings.sla)   # its overdue test reads stats_limits()
    urgent = [] if after else pinned(filters, now, bot.settings.sla)
    shown = found.rows + urgent
    names = _user_names({row.engineer_id for row in shown if row.engineer_id} |
                        {row.reporter_id for row in shown if not row.reporter_name})
    return render_template("admin/orders.html", rows=found.rows, urgent=urgent, filters=filters,
                           next_cursor=found.next_cursor, searched_to=found.searched_to,
                           window=order_search.WINDOW, export_limit=order_export.EXPORT_LIMIT,
                           names=names, choices=_choices())


@bp.get("/orders/<int:order_id>")
@requires(*STAFF_ROLES)
def order_page(order_id: int):
    """One order: facts, timeline, photos, SLA clocks, cost, rating and the actions allowed."""
    order = RepairOrder.get_or_none(RepairOrder.id == order_id) or abort(404)
    now = current_app.extensions["baoxiu"].clock.now()
    acting = current_staff().role in DESK_ROLES   # leaders read only
    allowed = {a for a in ACTIONS if acting and _allowed(order, a, now)}
    choosing = allowed & {"dispatch", "redispatch"}
    return render_template(
        "admin/order.html", order=order, events=OrderEvent.timeline(order),
        photos=_photos(order), sla=_sla(order, now), acting=acting, allowed=allowed,
        suggestion=_suggestion(order, now) if choosing else None,
        engineers=[e for e in _active_engineers() if e.id != order.engineer_id] if choosing else [],
        typed=next(iter(get_flashed_messages(category_filter=["complete_typed"])), {}),
        done_by=order_complete.done_by_default(order) if "complete" in allowed else "")


@bp.get("/photos/<int:attachment_id>")
@requires(*STAFF_ROLES)
def photo(attachment_id: int):
    """A downloaded photo's file; the path comes from the database and must stay in media/."""
    found = Attachment.get_or_none(Attachment.id == attachment_id, Attachment.downloaded)
    media = (current_app.extensions["baoxiu"].settings.data_path / "media").resolve()
    path = Path(found.file_path).resolve() if found and found.file_path else None
    if path is None or not path.is_relative_to(media) or not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


def _allowed(order: RepairOrder, action: str, now) -> bool:
    """Whether the action's button shows; the POST checks again (the state may move)."""
    if action == "callback":
        return order.status in ("completed", "rated", "closed")
    if action == "review":
        return order.status == SUBMITTED and order.reviewed_at is None
    if action == "redispatch":
        return can_fire(order, "reassign", now)
    return can_fire(order, action, now)


def _sla(order: RepairOrder, now) -> tuple:
    """Each clock's deadline and where it stands (met, missed, running, overdue …)."""
    bot = current_app.extensions["baoxiu"]
    limits = limits_for(order.category.name if order.category_id else None, order.priority,
                        effective_sla(bot.settings.sla))
    calendar = plan_from_config(bot.settings.shifts).calendar(limits.calendar)
    return clock_states(order_clock(order), limits, calendar, now)


def _suggestion(order: RepairOrder, now):
    """The assignment engine's decision with names, for the dispatch form."""
    shift = plan_from_config(current_app.extensions["baoxiu"].settings.shifts).on_duty(now)
    decision = suggest(order, now.date(), shift.name if shift else None)
    names = _user_names({r.user_id for r in decision.ranked})
    ranked = [(r.user_id, names.get(r.user_id, ""), [_reason(text) for text in r.reasons])
              for r in decision.ranked if r.user_id != order.engineer_id]  # 改派: someone else
    return {"decision": decision, "ranked": ranked}


def _reason(text: str) -> tuple[str, str]:
    """"open_jobs=2" → ("open_jobs", "2"); a time loses its seconds for display."""
    code, _, value = text.partition("=")
    return code, value[:16].replace("T", " ")


def _photos(order: RepairOrder) -> dict:
    """Downloaded photos by stage (before / after the repair)."""
    stages: dict = {"before": [], "after": []}
    for photo_row in (Attachment.select().where(Attachment.order == order, Attachment.downloaded)
                      .order_by(Attachment.id)):
        stages.setdefault(photo_row.stage, []).append(photo_row)
    return stages


def _active_engineers() -> list:
    return list(User.select(User.id, User.name).join(EngineerProfile)
                .where(EngineerProfile.active).order_by(User.name, User.id))


def _user_names(ids: set) -> dict:
    """id → name of the given users."""
    if not ids:
        return {}
    return dict(User.select(User.id, User.name).where(User.id.in_(ids)).tuples())


def _choices() -> dict:
    """Options of the filter form: fault types, locations, engineers (all short lists)."""
    categories = list(FaultType.select().order_by(FaultType.sort_order, FaultType.id))
    return {"categories": categories, "category_names": {t.id: t.name for t in categories},
            "locations": list(Location.select().order_by(Location.full_name)),
            "engineers": _active_engineers()}


# The POST views and the export register on bp.
from wechat_bot.admin import order_actions, order_complete, order_export  # noqa: E402,F401
