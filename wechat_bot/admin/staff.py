"""Back-office accounts: the list and the form that makes one (admins only)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from models.people import ADMIN
from models.staff import STAFF_ROLES, StaffAccount, StaffError, create_staff
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires


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
