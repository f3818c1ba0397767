"""The back office's home page: who is logged in, the pages their role may open, and how
many people wait for the desk (转人工)."""
from __future__ import annotations

from flask import render_template

from models.staff import STAFF_ROLES
from wechat_bot.admin import bp
from wechat_bot.admin.guard import may_open, requires
from wechat_bot.admin.handoffs import open_count

# Pages linked from home, in this order; each shows only to the roles its guard lets in.
NAV = (
    "admin.dashboard",
    "admin.orders",
    "admin.handoffs",
    "admin.unfinished",
    "admin.phone_entry",
    "admin.outbox",
    "admin.staff_list",
    "admin.staff_new",
    "admin.catalogue",
    "admin.engineers",
    "admin.invites",
)


@bp.get("/")
@requires(*STAFF_ROLES)
def home():
    """Home: the account, its role, links to what it may open, and the 转人工 count."""
    links = [e for e in NAV if may_open(e)]
    counts = {"admin.handoffs": open_count()} if "admin.handoffs" in links else {}
    return render_template("admin/home.html", links=links, counts=counts)
