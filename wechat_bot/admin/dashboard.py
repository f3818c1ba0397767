"""The dashboard: today at a glance, a month's charts and tables, and their CSV/Excel exports."""
from __future__ import annotations

from datetime import date
from typing import Optional

from flask import Response, abort, current_app, render_template, request

from handlers.leader import stats_limits
from models.people import ADMIN, DISPATCHER, LEADER, SUPERVISOR
from models.shifts import plan_from_config
from models.statistics import month_period
from wechat_bot.admin import bp
from wechat_bot.admin.dashboard_reports import (LEADER_REPORT, chart_data,
                                                leader_report_tables, month_tables, page_rows,
                                                today_table)
from wechat_bot.admin.export import attachment, find, to_csv, to_xlsx
from wechat_bot.admin.guard import requires

VIEW_ROLES = (DISPATCHER, SUPERVISOR, LEADER, ADMIN)
EXPORT_ROLES = (SUPERVISOR, LEADER, ADMIN)      # the desk looks; managers take files away
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/dashboard")
@requires(*VIEW_ROLES)
def dashboard():
    """Today at a glance and the chosen month (?month=YYYY-MM, this month by default)."""
    month = _month_or_400()
    tables = _tables(month)
    return render_template("admin/dashboard.html", tables={t.key: t for t in tables},
                           rows={t.key: page_rows(t) for t in tables},
                           charts=chart_data(tables, _labels()), month=month,
                           months=_neighbours(month), today=_now().date())


@bp.get("/dashboard/export/<report>.csv")
@requires(*EXPORT_ROLES)
def dashboard_csv(report: str):
    """One report as CSV."""
    month = _month_or_400()
    table = find(_tables(month, report), report) or abort(404)
    return _download(to_csv(table), "text/csv", month, report, table.title, "csv")


@bp.get("/dashboard/export/<report>.xlsx")
@requires(*EXPORT_ROLES)
def dashboard_xlsx(report: str):
    """One report as .xlsx, or a sheet each: the dashboard ("all"), the chat report ("leader")."""
    month = _month_or_400()
    tables = _tables(month, report)
    chosen = tables if report in ("all", "leader") else [t for t in tables if t.key == report]
    if not chosen:
        abort(404)
    title = {"all": _labels().FILE, "leader": _labels().REPORT["report"]}.get(
        report, chosen[0].title)
    return _download(to_xlsx(chosen), XLSX, month, report, title, "xlsx")


def _tables(month: date, report: str = "") -> list:
    """Today at a glance and the month's reports; the chat's month report when asked for."""
    bot = current_app.extensions["baoxiu"]
    now, limits, labels = _now(), stats_limits(bot.settings.sla), _labels()
    if report == "leader" or report in LEADER_REPORT:
        return leader_report_tables(month_period(month), now, limits, labels)
    glance = today_table(now, limits, plan_from_config(bot.settings.shifts), labels)
    return [glance, *month_tables(month_period(month), now, limits, labels,
                                  bot.settings.conversation.unit_label)]


def _download(body: bytes, mimetype: str, month: date, report: str, title: str,
              suffix: str) -> Response:
    name = f"{_labels().FILE}-{month:%Y-%m}-{title}.{suffix}"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(
        name, f"dashboard-{month:%Y-%m}-{report}.{suffix}")
    response.headers["Cache-Control"] = "no-store"      # staff data: keep it off shared disks
    return response


def _month_or_400() -> date:
    """The first day of ?month=YYYY-MM; this month when absent; a 400 page when not a month."""
    text = request.args.get("month", "")
    month = parse_month(text) if text else _now().date().replace(day=1)
    if month is None:
        abort(Response(render_template("admin/error.html", problem="bad_month"), 400))
    return month


def parse_month(text: str) -> Optional[date]:
    """date(y, m, 1) from "YYYY-MM" (years 2000–2099), else None."""
    year, dash, month = text.partition("-")
    if not (dash and len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        return None
    if not (2000 <= int(year) <= 2099 and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)


def _neighbours(month: date) -> dict:
    """The months before and after, for the picker's arrows."""
    before = (month.replace(day=1) - month.resolution).replace(day=1)
    after = (month.replace(day=28) + 4 * month.resolution).replace(day=1)
    return {"before": before, "after": after}


def _labels():
    return current_app.jinja_env.get_template("admin/dashboard_labels.html").module


def _now():
    return current_app.extensions["baoxiu"].clock.now()

