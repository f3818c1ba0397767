"""Back-office accounts (admins only): list, make, edit, switch off or on, set a new password."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from models.database import db
from models.people import ADMIN
from models.staff import (MAX_PASSWORD, MIN_PASSWORD, STAFF_ROLES, StaffAccount, StaffError, audit,
                          create_staff)
from wechat_bot.admin import bp
from wechat_bot.admin.form_fields import MAX_ID, changes
from wechat_bot.admin.guard import current_staff, keep_login, requires


@bp.get("/staff")
@requires(ADMIN)
def staff_list():
    """Every account, newest first."""
    accounts = StaffAccount.select().order_by(StaffAccount.id.desc())
    return render_template("admin/staff_list.html", accounts=accounts)


@bp.get("/staff/new")
@requires(ADMIN)
def staff_new():
    """The form for a new account."""
    return render_template("admin/staff_new.html", roles=STAFF_ROLES, form={}, problems=[])


@bp.post("/staff/new")
@requires(ADMIN)
def staff_create():
    """Make the account (audited), or show the form again with what is wrong."""
    form = {name: request.form.get(name, "") for name in ("username", "display_name", "role")}
    try:
        account = create_staff(password=request.form.get("password", ""),
                               now=current_app.extensions["baoxiu"].clock.now(),
                               by=current_staff(), **form)
    except StaffError as exc:
        return render_template("admin/staff_new.html", roles=STAFF_ROLES, form=form,
                               problems=exc.codes), 400
    flash(account.username, "staff_created")
    return redirect(url_for("admin.staff_list"))


@bp.get(f"/staff/<int(max={MAX_ID}):staff_id>")
@requires(ADMIN)
def staff_edit(staff_id: int):
    """One account: name and role, on/off, and a new password."""
    account = _account(staff_id)
    return _edit_page(account, {"display_name": account.display_name, "role": account.role}, [])


@bp.post(f"/staff/<int(max={MAX_ID}):staff_id>")
@requires(ADMIN)
def staff_update(staff_id: int):
    """Change the name and role (not one's own role: no admin locks themselves out)."""
    account = _account(staff_id)
    form = {name: request.form.get(name, "").strip() for name in ("display_name", "role")}
    name_ok = 1 <= len(form["display_name"]) <= 64
    problems = [] if name_ok else [("display_name", "display_name")]
    if form["role"] not in STAFF_ROLES:
        problems.append(("role", "role"))
    elif form["role"] != account.role and account.id == current_staff().id:
        problems.append(("role", "self_role"))
    if problems:
        return _edit_page(account, form, problems), 400
    before = {name: getattr(account, name) for name in form}
    with db.atomic():
        StaffAccount.update(**form).where(StaffAccount.id == account.id).execute()
        audit(current_staff(), "staff.update", f"staff:{account.username}",
              changes(before, form), _now())
    flash(account.username, "staff_updated")
    return redirect(url_for("admin.staff_list"))


@bp.post(f"/staff/<int(max={MAX_ID}):staff_id>/active")
@requires(ADMIN)
def staff_active(staff_id: int):
    """Switch an account off (it can no longer log in, at once) or back on; never one's own."""
    account, active = _account(staff_id), request.form.get("active") == "1"
    if account.id == current_staff().id:
        flash("self_deactivate", "staff_problem")
        return redirect(url_for("admin.staff_edit", staff_id=account.id))
    with db.atomic():
        StaffAccount.update(active=active).where(StaffAccount.id == account.id).execute()
        audit(current_staff(), f"staff.{'activate' if active else 'deactivate'}",
              f"staff:{account.username}", f"was active={account.active}", _now())
    flash(account.username, "staff_activated" if active else "staff_deactivated")
    return redirect(url_for("admin.staff_list"))


@bp.post(f"/staff/<int(max={MAX_ID}):staff_id>/password")
@requires(ADMIN)
def staff_password(staff_id: int):
    """Set a new password chosen by the admin (the audit row never holds it)."""
    account, password = _account(staff_id), request.form.get("password", "")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return _edit_page(account, {"display_name": account.display_name, "role": account.role},
                          [("password", "password_length")]), 400
    account.set_password(password)
    with db.atomic():
        StaffAccount.update(password_hash=account.password_hash).where(
            StaffAccount.id == account.id).execute()
        audit(current_staff(), "staff.password", f"staff:{account.username}", "reset", _now())
    if account.id == current_staff().id:
        keep_login(account)  # other sessions of this account end; this one goes on
    flash(account.username, "staff_password")
    return redirect(url_for("admin.staff_list"))


def _edit_page(account: StaffAccount, form: dict, problems: list):
    return render_template("admin/people/staff_edit.html", account=account, form=form,
                           roles=STAFF_ROLES, problems=problems)


def _account(staff_id: int) -> StaffAccount:
    return StaffAccount.get_or_none(StaffAccount.id == staff_id) or abort(404)


def _now():
    return current_app.extensions["baoxiu"].clock.now()
