"""Engineers in the back office: who covers what, where and when; supervisors and admins edit.

Engineers join through an invite code (invites.py); here their skills (fault types), areas
(locations), shift, department and whether they take new jobs are changed.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from peewee import JOIN

from models.catalogue import Department, FaultType, Location
from models.database import db
from models.people import ADMIN, SUPERVISOR, EngineerArea, EngineerProfile, EngineerSkill, User
from models.shifts import plan_from_config
from models.staff import STAFF_ROLES, audit
from wechat_bot.admin import bp
from wechat_bot.admin.form_fields import (CHOICE, FLAG, MAX_ID, REF, REFS, Field, changes,
                                          options, parse, typed)
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.background.wake import ring

EDITORS = (SUPERVISOR, ADMIN)
SKILLS = Field("skills", REFS, ref=FaultType)
AREAS = Field("areas", REFS, ref=Location, label="full_name")
DEPARTMENT = Field("department", REF, ref=Department)


def shift_field(current: str = "") -> Field:
    """The shift choice: "" (every shift) and the shifts of [shifts], plus a stored unknown one."""
    names = tuple(s.name for s in shift_plan().shifts)
    extra = (current,) if current and current not in names else ()
    return Field("shift", CHOICE, choices=("", *names, *extra))


def shift_plan():
    """The shifts the config defines."""
    return plan_from_config(current_app.extensions["baoxiu"].settings.shifts)


@bp.get("/people/engineers")
@requires(*STAFF_ROLES)
def engineers():
    """Every engineer with skills, areas, shift and whether they take new jobs."""
    profiles = list(EngineerProfile.select(EngineerProfile, User, Department)
                    .join(User).join(Department, JOIN.LEFT_OUTER)
                    .order_by(EngineerProfile.active.desc(), User.name, User.id))
    return render_template("admin/people/engineers.html", profiles=profiles,
                           skills=_names(EngineerSkill.fault_type, FaultType.name),
                           areas=_names(EngineerArea.location, Location.full_name),
                           desks=desks(), may_edit=current_staff().role in EDITORS)


@bp.get(f"/people/engineers/<int(max={MAX_ID}):profile_id>")
@requires(*EDITORS)
def engineer_edit(profile_id: int):
    """The engineer's form, filled in."""
    profile = _profile(profile_id)
    return _form(profile, _stored(profile), [])


@bp.post(f"/people/engineers/<int(max={MAX_ID}):profile_id>")
@requires(*EDITORS)
def engineer_update(profile_id: int):
    """Save skills, areas, shift, department and active together (audited)."""
    profile = _profile(profile_id)
    fields = _fields(profile)
    raw = typed(fields, request.form)
    values, problems = parse(fields, raw, _current(profile))
    if problems:
        return _form(profile, raw, problems), 400
    before = _summary(profile)
    with db.atomic():
        _save(profile, values)
        audit(current_staff(), "engineer.update", f"engineer:{profile.user_id}",
              changes(before, _summary(EngineerProfile.get_by_id(profile.id))),
              current_app.extensions["baoxiu"].clock.now())
    bot = current_app.extensions["baoxiu"]
    ring(bot.redis, bot.settings.redis.prefix, pool=True)  # switched on: the queue may go
    flash("updated", "people_done")
    return redirect(url_for("admin.engineers"))


def _save(profile: EngineerProfile, values: dict) -> None:
    """Replace the skills and areas, then the profile's and user's own fields."""
    EngineerSkill.delete().where(EngineerSkill.engineer == profile).execute()
    EngineerArea.delete().where(EngineerArea.engineer == profile).execute()
    for fault in values["skills"]:
        EngineerSkill.create(engineer=profile, fault_type=fault)
    for place in values["areas"]:
        EngineerArea.create(engineer=profile, location=place)
    EngineerProfile.update(shift=values["shift"], active=values["active"]).where(
        EngineerProfile.id == profile.id).execute()
    User.update(department=values["department"]).where(User.id == profile.user_id).execute()


def _fields(profile: EngineerProfile) -> tuple[Field, ...]:
    return (SKILLS, AREAS, shift_field(profile.shift), DEPARTMENT, Field("active", FLAG))


def _current(profile: EngineerProfile) -> dict:
    """Stored values: ids of skills and areas, the shift, the department id, active."""
    return {"skills": [s.fault_type_id for s in profile.skills],
            "areas": [a.location_id for a in profile.areas],
            "shift": profile.shift, "department": profile.user.department_id,
            "active": profile.active}


def _stored(profile: EngineerProfile) -> dict:
    current = _current(profile)
    return {"skills": [str(i) for i in current["skills"]],
            "areas": [str(i) for i in current["areas"]],
            "shift": current["shift"], "department": str(current["department"] or ""),
            "active": "1" if current["active"] else ""}


def _summary(profile: EngineerProfile) -> dict:
    """Readable values for the audit log."""
    department = profile.user.department
    return {"skills": ",".join(sorted(s.fault_type.name for s in profile.skills)),
            "areas": ",".join(sorted(a.location.full_name for a in profile.areas)),
            "shift": profile.shift, "department": department.name if department else "",
            "active": str(profile.active)}


def _form(profile: EngineerProfile, raw: dict, problems: list):
    fields, current = _fields(profile), _current(profile)
    choices = {f.name: options(f, current[f.name]) for f in fields if f.kind in (REF, REFS)}
    return render_template("admin/people/engineer_form.html", profile=profile, fields=fields,
                           form=raw, choices=choices, problems=problems, desks=desks())


def _names(key, column) -> dict[int, list[str]]:
    """Engineer profile id → the `column` of the rows `key` links it to (one query)."""
    link, target = key.model, column.model
    found: dict[int, list[str]] = {}
    rows = link.select(link.engineer, column).join(target, on=(key == target.id))
    for engineer_id, name in rows.order_by(column).tuples():
        found.setdefault(engineer_id, []).append(name)
    return found


def desks() -> dict[str, str]:
    """Shift name → its desk, to show next to the name."""
    return {s.name: s.desk for s in shift_plan().shifts}


def _profile(profile_id: int) -> EngineerProfile:
    return (EngineerProfile.select(EngineerProfile, User).join(User)
            .where(EngineerProfile.id == profile_id).first() or abort(404))
