"""The dashboard's reports as tables, and its charts as data read from those same tables.

`labels` is the module of templates/admin/dashboard_labels.html (REPORT, COLUMN, UNNAMED):
the Chinese stays in templates, the numbers come from models/dashboard_stats.py.
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Optional

from models.dashboard_stats import glance, month_figures
from models.shifts import ShiftPlan
from models.statistics import Counters, Limits, Period, period_report
from wechat_bot.admin.export import DAY, INT, NUMBER, RATE, TEXT, Column, Table, cell_text

GLANCE = ("new_today", "open", "overdue", "unassigned", "engineers_on_duty")
COUNTERS = (("received", INT), ("completed", INT), ("cancelled", INT), ("open", INT),
            ("overdue", INT), ("completion_rate", RATE), ("on_time_rate", RATE),
            ("rated", INT), ("avg_rating", NUMBER), ("high_rating_share", RATE))
GROUPS = ("department", "category", "engineer")
# The month report leaders get in chat (statistics.period_report), for export only: its
# repeat search would double the dashboard's time.
LEADER_REPORT = ("report", "top_types", "hot_places")
REPORT_COLUMNS = (("received", INT), ("completed", INT), ("cancelled", INT), ("open", INT),
                  ("overdue", INT), ("completion_rate", RATE), ("on_time_rate", RATE),
                  ("avg_response_minutes", NUMBER), ("avg_arrival_minutes", NUMBER),
                  ("avg_repair_minutes", NUMBER), ("rated", INT), ("avg_rating", NUMBER),
                  ("high_rating_share", RATE))
TOP = 10
ENGINEERS_CHARTED = 15     # the chart shows the busiest; the table and exports list everyone


class Chart(NamedTuple):
    """A chart drawn from a table: its kind, the label column and the value columns."""
    name: str
    table: str
    kind: str
    label: str
    values: tuple[str, ...]
    limit: Optional[int] = None
    horizontal: bool = False


CHARTS = (Chart("daily", "daily", "bar", "day", ("received", "completed")),
          Chart("rates", "daily", "line", "day", ("completion_rate", "on_time_rate")),
          Chart("department", "department", "bar", "name", ("received", "completed")),
          Chart("category", "category", "bar", "name", ("received", "completed")),
          Chart("engineer", "engineer", "bar", "name", ("received", "completed"),
                ENGINEERS_CHARTED, horizontal=True),
          Chart("unit", "unit", "bar", "name", ("received", "completed"), ENGINEERS_CHARTED,
                horizontal=True),
          Chart("rating", "rating", "bar", "score", ("count",)))


def today_table(now: datetime, limits: Limits, plan: ShiftPlan, labels) -> Table:
    """Today at a glance, one row."""
    figures = glance(now, limits, plan)
    return Table("glance", labels.REPORT["glance"], _columns(labels, [(k, INT) for k in GLANCE]),
                 (tuple(getattr(figures, k) for k in GLANCE),))


def month_tables(period: Period, now: datetime, limits: Limits, labels,
                 unit_label: str = "") -> list[Table]:
    """The month's reports: its total, day by day, by group, by the reporter's unit (when the
    site asks for one: `unit_label` names its column), and the ratings."""
    month = month_figures(period, now, limits)
    tables = [_counter_table("summary", labels, ("month", TEXT),
                             [(f"{period.start:%Y-%m}", month.total)]),
              _counter_table("daily", labels, ("day", DAY), month.days)]
    tables += [_counter_table(by, labels, ("name", TEXT),
                              [(g.name or labels.UNNAMED[by], g.counters)
                               for g in month.groups[by]])
               for by in GROUPS]
    if unit_label:
        tables.append(_counter_table("unit", labels, ("name", TEXT),
                                     [(g.name or labels.UNNAMED["unit"], g.counters)
                                      for g in month.units], first_label=unit_label))
    return tables + [_rating_table(month.ratings, labels)]


def leader_report_tables(period: Period, now: datetime, limits: Limits, labels) -> list[Table]:
    """The chat's month report: its figures (with the repeat count), top types, hot places."""
    report = period_report(period, now, limits, TOP)
    c = report.counters
    figures = Table("report", labels.REPORT["report"], _columns(
        labels, [("month", TEXT), *REPORT_COLUMNS, ("repeats", INT)]),
        ((f"{period.start:%Y-%m}", *(getattr(c, key) for key, _ in REPORT_COLUMNS),
          report.repeats.count),))
    return [figures, _ranked("top_types", report.top_types, labels),
            _ranked("hot_places", report.hot_locations, labels)]


def _ranked(key: str, ranked: list, labels) -> Table:
    return Table(key, labels.REPORT[key], _columns(labels, [("name", TEXT), ("count", INT)]),
                 tuple((r.name, r.count) for r in ranked))


def chart_data(tables: list[Table], labels) -> list[dict]:
    """Each chart's labels and series, cut from its table (rates stay fractions)."""
    by_key = {t.key: t for t in tables}
    charts = []
    for chart in (c for c in CHARTS if c.table in by_key):   # no unit table: no unit chart
        table = by_key[chart.table]
        kinds = {c.key: c.kind for c in table.columns}
        texts = [cell_text(v, kinds[chart.label]) for v in table.column(chart.label)]
        charts.append({
            "id": f"chart-{chart.name}", "title": labels.REPORT[chart.name], "table": table.key,
            "type": chart.kind, "horizontal": chart.horizontal,
            "labels": texts[:chart.limit],
            "datasets": [{"key": key, "label": labels.COLUMN[key], "rate": kinds[key] == RATE,
                          "data": table.column(key)[:chart.limit]} for key in chart.values]})
    return charts


def page_rows(table: Table) -> list[list[str]]:
    """The table's cells as the page shows them ("—" for no value), formatted once here: a
    Jinja call per cell costs more than the queries on a month with 2,000 engineers."""
    kinds = [c.kind for c in table.columns]
    return [[cell_text(value, kind) or "—" for value, kind in zip(row, kinds)]
            for row in table.rows]


def _counter_table(key: str, labels, first: tuple, rows, first_label: str = "") -> Table:
    """A table of Counters, one row per (label, Counters); `first_label` renames column one."""
    columns = _columns(labels, [first, *COUNTERS])
    if first_label:
        columns = (Column(columns[0].key, first_label, columns[0].kind), *columns[1:])
    return Table(key, labels.REPORT[key], columns,
                 tuple((name, *_counter_values(c)) for name, c in rows))


def _counter_values(counters: Counters) -> tuple:
    return tuple(getattr(counters, key) for key, _ in COUNTERS)


def _rating_table(counts: dict, labels) -> Table:
    rated = sum(counts.values())
    columns = _columns(labels, [("score", INT), ("count", INT), ("share", RATE)])
    return Table("rating", labels.REPORT["rating"], columns,
                 tuple((score, n, n / rated if rated else None) for score, n in counts.items()))


def _columns(labels, keys) -> tuple[Column, ...]:
    return tuple(Column(key, labels.COLUMN[key], kind) for key, kind in keys)
