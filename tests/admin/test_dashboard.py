"""The dashboard page: who may open it, today at a glance, the month's tables and chart data.

The orders, on the demo catalogue, looked at on 26 November 2026 09:30 (START):

 order  submitted     type  status     engineer  accept arrive complete rating
 P1     11-02 10:00   水电  closed     王师傅     5      10     60       5
 P2     11-02 11:00   水电  cancelled  -
 P3     11-10 09:00   网络  rated      <script>   5      30     90       2
 P4     11-26 08:00   网络  submitted  -
 P5     10-15 10:00   水电  closed     王师傅     5      10     60       4
"""
import json
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest

from models.catalogue import Department, FaultType
from models.orders import RepairOrder
from models.people import EngineerProfile, User
from tests.admin_flows import desk
from tests.conftest import START

XSS = "<script>alert(1)</script>"
DATA_RE = r'<script type="application/json" id="{}">(.*?)</script>'


class Tables(HTMLParser):
    """The text of every <table id=...> of a page: {id: [[cell, ...], ...]} (header row first)."""
    def __init__(self, html: str):
        super().__init__()
        self.tables, self.current, self.row = {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
            self.current.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.row.append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = self.row = None

    def handle_data(self, data):
        if self.row:
            self.row[-1] += data.strip()


def order(at, kind, status, engineer=None, accept=None, arrive=None, complete=None, rating=None):
    def later(minutes):
        return None if minutes is None else at + timedelta(minutes=minutes)
    reporter = User.get_or_create(openid="o_dash_reporter", defaults={"created_at": START})[0]
    fault = FaultType.get(FaultType.name == kind)
    return RepairOrder.create(
        number=f"BX{at:%Y%m%d%H%M}", reporter=reporter, category=fault, location_text="1号楼",
        department=fault.department, description="坏了", phone="13800138000", status=status,
        engineer=engineer, submitted_at=at, accepted_at=later(accept), arrived_at=later(arrive),
        completed_at=later(complete), rating=rating,
        cancelled_at=at if status == "cancelled" else None)


@pytest.fixture
def month(app):
    wang = User.create(openid="o_dash_wang", name="王师傅", created_at=START)
    odd = User.create(openid="o_dash_odd", name=XSS, created_at=START)
    EngineerProfile.create(user=wang, shift="day")      # 09:30: the day desk is on duty
    EngineerProfile.create(user=odd, shift="night")
    order(datetime(2026, 11, 2, 10), "水电", "closed", wang, 5, 10, 60, 5)
    order(datetime(2026, 11, 2, 11), "水电", "cancelled")
    order(datetime(2026, 11, 10, 9), "网络", "rated", odd, 5, 30, 90, 2)
    order(datetime(2026, 11, 26, 8), "网络", "submitted")
    order(datetime(2026, 10, 15, 10), "水电", "closed", wang, 5, 10, 60, 4)
    return {"wang": wang, "odd": odd}


def page(client, query=""):
    response = client.get(f"/admin/dashboard{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def chart(html, name):
    return json.loads(re.search(DATA_RE.format(f"chart-{name}-data"), html, re.S).group(1))


@pytest.mark.parametrize("role", ["dispatcher", "supervisor", "leader", "admin"])
def test_every_staff_role_sees_the_dashboard_and_home_links_it(client, month, role):
    desk(client, role)
    assert "统计看板" in page(client)
    assert 'href="/admin/dashboard"' in client.get("/admin/").get_data(as_text=True)


def test_anonymous_visitors_go_to_the_login_page(client, month):
    response = client.get("/admin/dashboard")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_today_at_a_glance(client, month):
    desk(client, "dispatcher")
    html = page(client)
    figures = dict(re.findall(r'<li id="glance-(\w+)"><span class="figure">(\d+)</span>', html))
    # P4: today, open, not on site 90 minutes after the report, nobody dispatched; 王师傅's
    # day shift is on, the other engineer works nights.
    assert figures == {"new_today": "1", "open": "1", "overdue": "1", "unassigned": "1",
                       "engineers_on_duty": "1"}


def test_the_month_tables_match_the_hand_count(client, month):
    desk(client, "leader")
    tables = Tables(page(client, "?month=2026-11")).tables
    header, summary = tables["table-summary"]
    assert header[:11] == ["月份", "报修数", "完成数", "取消数", "未完成", "已超时", "完成率",
                           "及时率", "评价数", "平均评分", "好评率"]
    # P1–P4: two done of three not cancelled; P1 on site in 10 minutes, P3 in 30.
    assert summary == ["2026-11", "4", "2", "1", "1", "0", "66.7%", "50.0%", "2", "3.50",
                       "50.0%"]
    daily = {row[0]: row for row in tables["table-daily"][1:]}
    assert len(daily) == 26 and daily["2026-11-02"][1:4] == ["2", "1", "1"]
    assert daily["2026-11-03"][1:7] == ["0", "0", "0", "0", "0", "—"]
    assert [row[:3] for row in tables["table-engineer"][1:]] == \
        [["未派维修人员", "2", "0"], ["王师傅", "1", "1"], [XSS, "1", "1"]]
    assert [row[:2] for row in tables["table-category"][1:]] == [["水电", "2"], ["网络", "2"]]
    assert [row[:2] for row in tables["table-department"][1:]] == [["工程部", "2"],
                                                                   ["信息中心", "2"]]
    assert tables["table-rating"][1:] == [["1", "0", "0.0%"], ["2", "1", "50.0%"],
                                          ["3", "0", "0.0%"], ["4", "0", "0.0%"],
                                          ["5", "1", "50.0%"]]


def test_another_month_and_a_bad_one(client, month):
    desk(client, "supervisor")
    october = Tables(page(client, "?month=2026-10")).tables
    assert october["table-summary"][1][:3] == ["2026-10", "1", "1"]
    assert len(october["table-daily"]) == 1 + 31
    for bad in ("2026-13", "26-10", "2026-1", "abc", "2026-10-01"):
        response = client.get(f"/admin/dashboard?month={bad}")
        assert response.status_code == 400, bad
        assert "月份格式不正确" in response.get_data(as_text=True)


def test_the_chart_data_is_the_tables_numbers(client, month):
    desk(client, "admin")
    html = page(client, "?month=2026-11")
    tables = Tables(html).tables
    for name, table in (("daily", "daily"), ("department", "department"),
                        ("category", "category"), ("engineer", "engineer"),
                        ("rating", "rating")):
        assert f'<canvas id="chart-{name}" data-chart="chart-{name}-data"' in html
        data, rows = chart(html, name), tables[f"table-{table}"]
        assert data["labels"] == [row[0] for row in rows[1:]]
        for dataset in data["datasets"]:
            column = rows[0].index(dataset["label"])
            assert [str(v) for v in dataset["data"]] == [row[column] for row in rows[1:]]
    rates = chart(html, "rates")
    assert [d["key"] for d in rates["datasets"]] == ["completion_rate", "on_time_rate"]
    completion = rates["datasets"][0]["data"]
    assert completion[1] == 1.0 and completion[2] is None   # P2 cancelled; no order on 11-03
    assert all(d["rate"] for d in rates["datasets"])


def test_names_are_escaped_in_tables_and_chart_data(client, month):
    Department.update(name="<b>部门</b>").where(Department.name == "信息中心").execute()
    desk(client, "leader")
    html = page(client, "?month=2026-11")
    assert XSS not in html and "<b>部门</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS in chart(html, "engineer")["labels"]        # JSON-escaped, read back intact
    assert "<b>部门</b>" in chart(html, "department")["labels"]


def test_the_page_loads_only_scripts_of_its_own(client, month):
    desk(client, "leader")
    html = page(client)
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/admin/static/vendor/chart.umd.min.js", "/admin/static/dashboard.js"]
    assert not re.search(r"<script>|<script type=\"text/javascript\"|\bstyle=", html)
    for path in ("/admin/static/vendor/chart.umd.min.js", "/admin/static/dashboard.js"):
        response = client.get(path)
        assert response.status_code == 200 and len(response.data) > 1000
        response.close()


def test_export_links_show_only_to_those_who_may_export(app, client, month):
    desk(client, "dispatcher")
    assert "/admin/dashboard/export/" not in page(client)
    leader = app.test_client()
    desk(leader, "leader", username="boss2")
    assert "/admin/dashboard/export/daily.csv?month=" in page(leader)


def test_the_month_by_the_reporters_unit(app, client, month):
    RepairOrder.update(reporter_unit="计算机学院").where(
        RepairOrder.submitted_at < datetime(2026, 11, 3)).execute()        # P1 P2, and P5
    desk(client, "leader")
    tables = Tables(client.get("/admin/dashboard?month=2026-11").get_data(as_text=True)).tables
    assert tables["table-unit"][0][:3] == ["学院/部门", "报修数", "完成数"]
    assert [row[:4] for row in tables["table-unit"][1:]] == [
        ["计算机学院", "2", "1", "1"], ["未填写", "2", "1", "0"]]      # P1 P2; P3 (rated) P4
    chart = json.loads(re.search(DATA_RE.format("chart-unit-data"), client.get(
        "/admin/dashboard?month=2026-11").get_data(as_text=True), re.S).group(1))
    assert chart["title"] == "按报修人单位" and chart["labels"] == ["计算机学院", "未填写"]
    csv = client.get("/admin/dashboard/export/unit.csv?month=2026-11")
    assert csv.status_code == 200
    assert csv.data.decode("utf-8-sig").splitlines()[1].startswith("计算机学院,2,1,1,0,0,100.0%")


def test_no_unit_report_when_the_site_asks_for_no_unit(app, client, month):
    from dataclasses import replace
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, conversation=replace(bot.settings.conversation,
                                                              unit_label=""))
    desk(client, "leader")
    page = client.get("/admin/dashboard?month=2026-11").get_data(as_text=True)
    assert "按报修人单位" not in page and "chart-unit" not in page
    assert client.get("/admin/dashboard/export/unit.csv?month=2026-11").status_code == 404
