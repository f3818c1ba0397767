"""The order list as it is filtered and searched, as CSV or Excel (export.py's writers: a BOM,
text that looks like a formula defused) for the roles that take files away.

A huge result is cut: the newest EXPORT_LIMIT orders go into the file and its last row says
that more matched and how to narrow the list (dates), so nothing is silently missing and no
request builds a workbook of a million rows in memory.
"""
from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, request

from models.catalogue import FaultType
from models.orders import RepairOrder
from models.people import User
from models.statistics_sql import names_by_id
from wechat_bot.admin import bp
from wechat_bot.admin.dashboard import EXPORT_ROLES, XLSX
from wechat_bot.admin.export import INT, TEXT, Column, Table, attachment, to_csv, to_xlsx
from wechat_bot.admin.guard import requires
from wechat_bot.admin.order_query import page, parse_filters

EXPORT_LIMIT = 10_000
BATCH = 1_000
WHEN = "%Y-%m-%d %H:%M"
COLUMNS = (("number", TEXT), ("submitted_at", TEXT), ("status", TEXT), ("category", TEXT),
           ("location", TEXT), ("description", TEXT), ("reporter", TEXT), ("unit", TEXT),
           ("phone", TEXT), ("engineer", TEXT), ("completed_at", TEXT), ("rating", INT))


@bp.get("/orders/export.csv")
@requires(*EXPORT_ROLES)
def orders_csv():
    """The filtered list as CSV (UTF-8 with a BOM)."""
    return _download(to_csv(_table()), "text/csv", "csv")


@bp.get("/orders/export.xlsx")
@requires(*EXPORT_ROLES)
def orders_xlsx():
    """The filtered list as an Excel workbook."""
    return _download(to_xlsx([_table()]), XLSX, "xlsx")


def _table() -> Table:
    """The orders of the list's query string, newest first, as one table."""
    bot = current_app.extensions["baoxiu"]
    texts, labels = _texts()
    unit_label = bot.settings.conversation.unit_label
    columns = [(key, kind) for key, kind in COLUMNS if key != "unit" or unit_label]
    orders = matching(parse_filters(request.args), bot.clock.now(), bot.settings.sla)
    shown = orders[:EXPORT_LIMIT]
    cells = [_cells(order, names) for names in [_names(shown, labels)] for order in shown]
    if len(orders) > EXPORT_LIMIT:
        cells.append({"number": texts.EXPORT_CUT.format(EXPORT_LIMIT)})
    headers = dict(texts.EXPORT_COLUMN, unit=unit_label)
    return Table("orders", texts.EXPORT_TITLE,
                 tuple(Column(key, headers[key], kind) for key, kind in columns),
                 tuple(tuple(row.get(key) for key, _ in columns) for row in cells))


def matching(filters, now: datetime, sla: dict) -> list[RepairOrder]:
    """Up to EXPORT_LIMIT + 1 orders of the list, page after page (a words search goes on
    window after window, so the file holds every match, not only the newest window's)."""
    found, after = [], ""
    while len(found) <= EXPORT_LIMIT:
        chunk = page(filters, after, now, sla, size=BATCH)
        found += chunk.rows
        if not chunk.next_cursor:
            break
        after = chunk.next_cursor
    return found


def _names(orders: list[RepairOrder], labels) -> dict:
    """What the rows' ids and codes are called: users, fault types, statuses, kinds."""
    people = {o.reporter_id for o in orders} | {o.engineer_id for o in orders if o.engineer_id}
    return {"user": names_by_id(User, User.name, people),
            "type": names_by_id(FaultType, FaultType.name, {o.category_id for o in orders}),
            "status": labels.STATUS, "kind": labels.KIND}


def _cells(o: RepairOrder, names: dict) -> dict:
    """One order's cells by column key."""
    return {"number": o.number, "submitted_at": o.submitted_at.strftime(WHEN),
            "status": names["status"].get(o.status, o.status),
            "category": names["type"].get(o.category_id) or names["kind"].get(o.kind, o.kind),
            "location": o.location_text, "description": o.description,
            "reporter": o.reporter_name or names["user"].get(o.reporter_id, ""),
            "unit": o.reporter_unit, "phone": o.phone,
            "engineer": names["user"].get(o.engineer_id, "") if o.engineer_id else o.vendor_name,
            "completed_at": o.completed_at.strftime(WHEN) if o.completed_at else "",
            "rating": o.rating}


def _download(body: bytes, mimetype: str, suffix: str) -> Response:
    now = current_app.extensions["baoxiu"].clock.now()
    name = f"{_texts()[0].EXPORT_TITLE}-{now:%Y%m%d-%H%M}.{suffix}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(name,
                                                         f"orders-{now:%Y%m%d-%H%M}.{suffix}")
    response.headers["Cache-Control"] = "no-store"      # staff data: keep it off shared disks
    return response


def _texts():
    """(templates/admin/order_texts.html, messages/_labels.txt) as modules: the Chinese."""
    env = current_app.jinja_env
    return (env.get_template("admin/order_texts.html").module,
            env.get_template("messages/_labels.txt").module)
