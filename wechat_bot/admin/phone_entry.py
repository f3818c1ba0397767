"""电话报修 / 来访: the desk enters an order for a reporter, through the chat's own path.

An order is urgent when the desk ticks 紧急 or the description holds an urgent keyword, as in
the chat (handlers/emergency.py): dispatched first, the supervisors told at once.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from handlers.emergency import detect_in_catalogue
from handlers.phones import normalise_phone
from handlers.report_slots import DESCRIPTION_LIMITS, LOCATION_LIMITS, match_location, within
from models.catalogue import MATTER, REPAIR, FaultType
from models.database import db
from models.lifecycle import SUBMITTED
from models.orders import NORMAL, URGENT, OrderEvent, RepairOrder
from models.people import User
from models.staff import DESK_ROLES, audit
from models.workflow import NewOrder, submit_order
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.admin.order_actions import staff_note, wake_worker

FIELDS = ("phone", "name", "unit", "category", "location", "description", "source", "urgent")
SOURCES = ("phone", "visit")  # 电话 / 来访; the Chinese is in the template
NAME_LIMITS = (1, 64)
UNIT_LIMIT = 100
FIND_LIMIT, MAX_MATCHES = 32, 10
DESK_OPENID = "desk:{phone}"  # reporters without WeChat; Notifier.queue skips them


@bp.get("/phone-entry")
@requires(*DESK_ROLES)
def phone_entry():
    """The form, empty or filled from a reporter picked in the search (?find=phone or name)."""
    form = {name: request.args.get(name, "").strip()
            for name in ("phone", "name", "unit", "location")}
    wanted = request.args.get("find", "").strip()[:FIND_LIMIT]
    return _form({**form, "source": "phone"}, [], wanted, _matches(wanted) if wanted else [])


@bp.post("/phone-entry")
@requires(*DESK_ROLES)
def phone_entry_create():
    """Store the order as the chat would, or show the form again with what is wrong."""
    form = {name: request.form.get(name, "").strip() for name in FIELDS}
    if not _settings().unit_label:
        form["unit"] = ""   # the site asks for no unit
    problems, category = _problems(form)
    if problems:
        return _form(form, problems), 400
    order = _enter(form, category, normalise_phone(form["phone"]))
    wake_worker()
    flash(order.number, "phone_entry")
    return redirect(url_for("admin.order_page", order_id=order.id))


def _problems(form: dict) -> tuple[list[str], FaultType | None]:
    """Problem codes of the typed values, and the fault type chosen."""
    category = next((t for t in _menu() if str(t.id) == form["category"]), None)
    checks = {"phone": normalise_phone(form["phone"]) is not None,
              "name": within(form["name"], NAME_LIMITS), "category": category is not None,
              "location": within(form["location"], LOCATION_LIMITS),
              "description": within(form["description"], DESCRIPTION_LIMITS),
              "source": form["source"] in SOURCES, "unit": _unit_fits(form["unit"])}
    return [code for code, ok in checks.items() if not ok], category


def _enter(form: dict, category: FaultType, phone: str):
    """The order, its order_received notice, the staff's note and the audit row, together."""
    bot, staff = current_app.extensions["baoxiu"], current_staff()
    now = bot.clock.now()
    with db.atomic():
        reporter = _reporter(phone, form["name"], form["unit"], now)
        order = submit_order(NewOrder(
            reporter=reporter, category=category, kind=category.kind,
            location=match_location(form["location"]), location_text=form["location"],
            description=form["description"], phone=phone, reporter_name=form["name"],
            reporter_unit=form["unit"], priority=_priority(form, category)), now,
            bot.notifier.pending("order_received", reporter, SUBMITTED, now))
        _sign_submit(order, staff)
        audit(staff, "order.phone_entry", f"order:{order.number}",
              f"{form['source']} reporter:{reporter.id}", now)
    return order


def _priority(form: dict, category: FaultType) -> str:
    """URGENT when ticked, or when the description names an emergency (跑水, 电梯困人 …)."""
    urgent = form["urgent"] == "1" or detect_in_catalogue(form["description"], category.kind)
    return URGENT if urgent else NORMAL


def _reporter(phone: str, name: str, unit: str, now) -> User:
    """The newest user with this phone, else a desk-only user (get_or_create: two desks racing).

    A desk-only user keeps the name and unit last given, so the next call finds them so; a
    WeChat user's profile is theirs to change (the order keeps what the caller said).
    """
    found = User.select().where(User.phone == phone).order_by(User.created_at.desc(),
                                                              User.id.desc()).first()
    if found is None:
        found = User.get_or_create(openid=DESK_OPENID.format(phone=phone),
                                   defaults={"name": name, "phone": phone, "created_at": now})[0]
    if found.openid == DESK_OPENID.format(phone=phone):
        found.name, found.unit = name, unit or found.unit
        User.update(name=found.name, unit=found.unit).where(User.id == found.id).execute()
    return found


def _unit_fits(unit: str) -> bool:
    """Empty, one of [conversation] units when they are listed, else any short text."""
    units = _settings().units
    return not unit or (unit in units if units else len(unit) <= UNIT_LIMIT)


def _sign_submit(order, staff) -> None:
    """Put who entered the order on its submit event (actor stays the reporter, as in the chat)."""
    page = current_app.jinja_env.get_template("admin/_labels.html").module.PAGE
    OrderEvent.update(note=staff_note(page["admin.phone_entry"], staff)).where(
        OrderEvent.order == order.id, OrderEvent.trigger == "submit").execute()


def _matches(wanted: str) -> list[tuple[User, str]]:
    """People whose phone is `wanted` or whose name contains it, newest first, each with the
    place of their latest order (what a caller usually reports about again)."""
    phone = normalise_phone(wanted)
    found = User.phone == phone if phone else User.name.contains(wanted)
    users = list(User.select().where(found)
                 .order_by(User.created_at.desc(), User.id.desc()).limit(MAX_MATCHES))
    return [(user, _last_place(user)) for user in users]


def _last_place(user: User) -> str:
    latest = RepairOrder.recent_for(user, 1)
    return latest[0].location_text if latest else ""


def _form(form: dict, problems: list[str], wanted: str = "", matches=()):
    kinds = ((REPAIR, FaultType.menu(REPAIR)), (MATTER, FaultType.menu(MATTER)))
    return render_template("admin/phone_entry.html", form=form, problems=problems,
                           kinds=kinds, sources=SOURCES, wanted=wanted, matches=matches,
                           units=_settings().units)


def _settings():
    """[conversation]: unit_label and units."""
    return current_app.extensions["baoxiu"].settings.conversation


def _menu() -> list[FaultType]:
    return FaultType.menu(REPAIR) + FaultType.menu(MATTER)
