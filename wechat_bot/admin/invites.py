"""Invite codes in the back office: the list by status, issuing one, and revoking an unused one.

Codes are made and checked by models/invites.py, the same as `run.py invite`. Codes are
secrets until used, so only supervisors and admins see them; a supervisor invites engineers
and desk staff, an admin any role.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from peewee import JOIN

from handlers.phones import normalise_phone
from models.catalogue import Department
from models.invites import STATUSES, create_invite, invite_status, revoke_invite, status_filter
from models.people import (ADMIN, DISPATCHER, ENGINEER, LEADER, SUPERVISOR, InviteCode, User)
from models.staff import audit
from wechat_bot.admin import bp
from wechat_bot.admin.form_fields import (CHOICE, MAX_ID, NUMBER, REF, REFS, TEXT, Field, options,
                                          parse, typed)
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.admin.people import AREAS, DEPARTMENT, SKILLS, desks, shift_field

ISSUES = {SUPERVISOR: (ENGINEER, DISPATCHER),
          ADMIN: (ENGINEER, DISPATCHER, SUPERVISOR, LEADER, ADMIN)}
LIST_LIMIT = 200
MAX_DAYS = 90


@bp.get("/people/invites")
@requires(SUPERVISOR, ADMIN)
def invites():
    """Invites newest first (the latest 200), filtered by status."""
    now, status = _now(), request.args.get("status", "")
    query = (InviteCode.select(InviteCode, User, Department)
             .join(User, JOIN.LEFT_OUTER, on=(InviteCode.used_by == User.id))
             .switch(InviteCode).join(Department, JOIN.LEFT_OUTER))
    if status in STATUSES:
        query = query.where(status_filter(status, now))
    rows = [(i, invite_status(i, now)) for i in
            query.order_by(InviteCode.id.desc()).limit(LIST_LIMIT)]
    return render_template("admin/people/invites.html", rows=rows, status=status,
                           statuses=STATUSES, desks=desks())


@bp.get("/people/invites/new")
@requires(SUPERVISOR, ADMIN)
def invite_new():
    """The empty form (valid for the configured number of days)."""
    return _form({"role": ENGINEER, "days": str(_days())}, [])


@bp.post("/people/invites/new")
@requires(SUPERVISOR, ADMIN)
def invite_create():
    """Issue the code (audited) and show it, or show the form again with what is wrong."""
    fields = _fields()
    raw = typed(fields, request.form)
    values, problems = parse(fields, raw, {})
    phone = normalise_phone(values["phone"]) if values["phone"] else ""
    if phone is None:
        problems.append(("phone", "bad_mobile"))
    if not problems and not 1 <= values["days"] <= MAX_DAYS:
        problems.append(("days", "bad_days"))
    names = {"skills": ",".join(f.name for f in values["skills"] or ()),
             "areas": ",".join(p.full_name for p in values["areas"] or ())}
    problems += [(field, "too_many") for field, text in names.items()
                 if len(text) > getattr(InviteCode, field).max_length]
    if problems:
        return _form(raw, problems), 400
    invite = create_invite(
        values["role"], _now(), values["days"], name=values["name"], phone=phone,
        skills=names["skills"], areas=names["areas"], department=values["department"] or "",
        shift=values["shift"])
    audit(current_staff(), "invite.create", f"invite:{invite.code}",
          f"role={invite.role} name={invite.name} phone={invite.phone} skills={invite.skills} "
          f"areas={invite.areas} shift={invite.shift} until={invite.expires_at:%Y-%m-%d %H:%M}",
          _now())
    flash(invite.code, "invite_created")
    return redirect(url_for("admin.invites", status="active"))


@bp.post(f"/people/invites/<int(max={MAX_ID}):invite_id>/revoke")
@requires(SUPERVISOR, ADMIN)
def invite_revoke(invite_id: int):
    """Withdraw an unused code; one already used, expired or revoked stays as it is."""
    invite = InviteCode.get_or_none(InviteCode.id == invite_id) or abort(404)
    if revoke_invite(invite.id, _now()):
        audit(current_staff(), "invite.revoke", f"invite:{invite.code}",
              f"role={invite.role} name={invite.name}", _now())
        flash("revoked", "people_done")
    else:
        flash("not_revocable", "people_problem")
    return redirect(url_for("admin.invites"))


def _fields() -> tuple[Field, ...]:
    return (Field("role", CHOICE, required=True, choices=ISSUES[current_staff().role]),
            Field("name", TEXT), Field("phone", TEXT, max_len=32), SKILLS, AREAS, DEPARTMENT,
            shift_field(), Field("days", NUMBER, required=True))


def _form(raw: dict, problems: list):
    fields = _fields()
    choices = {f.name: options(f) for f in fields if f.kind in (REF, REFS)}
    return render_template("admin/people/invite_new.html", fields=fields, form=raw,
                           choices=choices, problems=problems,
                           desks=desks())


def _days() -> int:
    return current_app.extensions["baoxiu"].settings.conversation.invite_days


def _now():
    return current_app.extensions["baoxiu"].clock.now()
