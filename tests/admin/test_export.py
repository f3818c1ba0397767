"""Reports as CSV and Excel: the writers on their own, then the dashboard's downloads.

The workbooks are read back with zipfile and ElementTree, not with XlsxWriter.
"""
import csv
import io
import re
import zipfile
from datetime import date
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from tests.admin_flows import desk
from tests.admin.test_dashboard import XSS, month  # noqa: F401  (month is a fixture)
from wechat_bot.admin.export import (DAY, INT, NUMBER, RATE, Column, Table, attachment,
                                     sheet_name, to_csv, to_xlsx)

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EVIL = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")")
SAMPLE = Table("sample", "样例", (Column("name", "名称"), Column("n", "数量", INT),
                                 Column("rate", "完成率", RATE), Column("avg", "平均评分", NUMBER),
                                 Column("day", "日期", DAY)),
               (("王师傅", 3, 0.5, 4.25, date(2026, 11, 2)),) +
               tuple((text, -1, None, None, None) for text in EVIL))


def read_xlsx(data: bytes) -> dict:
    """{sheet name: {"rows": [[value, ...]], "bold": [header bold?], "widths": [...]}}."""
    book = zipfile.ZipFile(io.BytesIO(data))
    xml = {name: ElementTree.fromstring(book.read(name)) for name in book.namelist()
           if name.endswith(".xml")}
    strings = ["".join(t.text or "" for t in si.iter(f"{M}t"))
               for si in xml["xl/sharedStrings.xml"].iter(f"{M}si")]
    styles = xml["xl/styles.xml"]
    bold_fonts = [font.find(f"{M}b") is not None for font in styles.find(f"{M}fonts")]
    bold_styles = [bold_fonts[int(xf.get("fontId"))] for xf in styles.find(f"{M}cellXfs")]
    sheets = {}
    for number, sheet in enumerate(xml["xl/workbook.xml"].find(f"{M}sheets"), start=1):
        root = xml[f"xl/worksheets/sheet{number}.xml"]
        assert not list(root.iter(f"{M}f")), "no cell may hold a formula"
        rows, bold = [], []
        for row in root.iter(f"{M}row"):
            cells = {}
            for c in row.iter(f"{M}c"):
                column = ord(re.match(r"[A-Z]", c.get("r")).group()) - ord("A")
                value = c.find(f"{M}v").text
                cells[column] = strings[int(value)] if c.get("t") == "s" else float(value)
                if row.get("r") == "1":
                    bold.append(bold_styles[int(c.get("s", 0))])
            rows.append([cells.get(i) for i in range(max(cells) + 1)])
        widths = [float(col.get("width")) for col in root.iter(f"{M}col")]
        sheets[sheet.get("name")] = {"rows": rows, "bold": bold, "widths": widths}
    return sheets


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")                     # the BOM Excel needs
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


# ---------------------------------------------------------------- the writers


def test_csv_has_a_bom_crlf_lines_and_readable_values():
    data = to_csv(SAMPLE)
    assert b"\r\n" in data and data.count(b"\r\n") == 1 + len(SAMPLE.rows)
    rows = read_csv(data)
    assert rows[0] == ["名称", "数量", "完成率", "平均评分", "日期"]
    assert rows[1] == ["王师傅", "3", "50.0%", "4.25", "2026-11-02"]


def test_csv_text_that_looks_like_a_formula_gets_a_leading_quote():
    rows = read_csv(to_csv(SAMPLE))[2:]
    assert [row[0] for row in rows] == ["'" + text for text in EVIL]
    assert [row[1] for row in rows] == ["-1"] * len(EVIL)      # our own numbers stay numbers


def test_xlsx_holds_typed_rows_under_a_bold_header_with_widths():
    sheets = read_xlsx(to_xlsx([SAMPLE, Table("empty", "样例", SAMPLE.columns, ())]))
    assert list(sheets) == ["样例", "样例_2"]
    sheet = sheets["样例"]
    assert sheet["rows"][0] == ["名称", "数量", "完成率", "平均评分", "日期"]
    serial = (date(2026, 11, 2) - date(1899, 12, 30)).days
    assert sheet["rows"][1] == ["王师傅", 3.0, 0.5, 4.25, float(serial)]
    assert [row[0] for row in sheet["rows"][2:]] == list(EVIL)   # text, never a formula
    assert sheet["bold"] == [True] * 5
    assert len(sheet["widths"]) == 5 and sheet["widths"][0] >= 6   # 名称: two wide characters
    assert sheets["样例_2"]["rows"] == [sheet["rows"][0]]


def test_sheet_names_are_valid_and_unique():
    assert sheet_name("a/b:c*d?[e]", []) == "a_b_c_d__e_"
    long = "很长的报表名称" * 6
    assert len(sheet_name(long, [])) == 31
    assert sheet_name(long, [sheet_name(long, [])]).endswith("_2")
    assert len(sheet_name(long, [sheet_name(long, [])])) == 31


def test_attachment_names_carry_chinese_in_utf8():
    value = attachment("报修统计-2026-11-每日工单.csv", "dashboard-2026-11-daily.csv")
    assert value.startswith('attachment; filename="dashboard-2026-11-daily.csv"; ')
    encoded = value.split("filename*=UTF-8''")[1]
    assert encoded.isascii() and unquote(encoded) == "报修统计-2026-11-每日工单.csv"


# ---------------------------------------------------------------- the downloads


def names_in(response) -> str:
    return unquote(response.headers["Content-Disposition"].split("UTF-8''")[1])


@pytest.mark.parametrize("role", ["supervisor", "leader", "admin"])
def test_managers_download_a_report_as_csv(client, month, role):  # noqa: F811
    desk(client, role)
    response = client.get("/admin/dashboard/export/daily.csv?month=2026-11")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert names_in(response) == "报修统计-2026-11-每日工单.csv"
    rows = read_csv(response.data)
    assert rows[0][:4] == ["日期", "报修数", "完成数", "取消数"]
    assert len(rows) == 1 + 26 and rows[2][:4] == ["2026-11-02", "2", "1", "1"]


def test_the_desk_may_not_download(client, month):  # noqa: F811
    desk(client, "dispatcher")
    for path in ("/admin/dashboard/export/daily.csv", "/admin/dashboard/export/all.xlsx",
                 "/admin/dashboard/export/engineer.xlsx"):
        response = client.get(path)
        assert response.status_code == 403 and "无权访问" in response.get_data(as_text=True)


def test_unknown_reports_and_bad_months_are_refused(client, month):  # noqa: F811
    desk(client, "leader")
    assert client.get("/admin/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/admin/dashboard/export/all.csv").status_code == 404
    assert client.get("/admin/dashboard/export/nothing.xlsx").status_code == 404
    response = client.get("/admin/dashboard/export/daily.csv?month=2026-13")
    assert response.status_code == 400 and "月份格式不正确" in response.get_data(as_text=True)


def test_the_whole_dashboard_as_one_workbook(client, month):  # noqa: F811
    desk(client, "leader")
    response = client.get("/admin/dashboard/export/all.xlsx?month=2026-11")
    assert response.status_code == 200
    assert response.mimetype == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert names_in(response) == "报修统计-2026-11-报修统计.xlsx"
    sheets = read_xlsx(response.data)
    assert list(sheets) == ["今日概况", "本月汇总", "每日工单", "按部门", "按故障类型", "按维修人员",
                            "按报修人单位", "评分分布"]
    assert sheets["今日概况"]["rows"][1] == [1.0, 1.0, 1.0, 1.0, 1.0]
    assert sheets["本月汇总"]["rows"][1][:7] == ["2026-11", 4.0, 2.0, 1.0, 1.0, 0.0, 2 / 3]
    assert [row[0] for row in sheets["按维修人员"]["rows"][1:]] == ["未派维修人员", "王师傅", XSS]
    assert all(sheet["bold"] and all(sheet["bold"]) for sheet in sheets.values())


def test_names_that_look_like_formulas_are_defused(client, month):  # noqa: F811
    month["wang"].name = "=HYPERLINK(\"http://evil\",\"点我\")"
    month["wang"].save()
    desk(client, "admin")
    csv_rows = read_csv(client.get("/admin/dashboard/export/engineer.csv?month=2026-11").data)
    assert [row[0] for row in csv_rows[1:]] == ["未派维修人员", "'" + month["wang"].name, XSS]
    sheet = read_xlsx(client.get("/admin/dashboard/export/engineer.xlsx?month=2026-11").data)
    assert sheet["按维修人员"]["rows"][2][0] == month["wang"].name     # a string cell


def test_today_at_a_glance_exports_too(client, month):  # noqa: F811
    desk(client, "supervisor")
    rows = read_csv(client.get("/admin/dashboard/export/glance.csv").data)
    assert rows == [["今日新报修", "未完成", "已超时", "待派单", "在班维修人员"],
                    ["1", "1", "1", "1", "1"]]


def test_the_chat_month_report_as_a_workbook_and_csv(client, month):  # noqa: F811
    desk(client, "leader")
    page = client.get("/admin/dashboard").get_data(as_text=True)
    assert "/admin/dashboard/export/leader.xlsx?month=" in page
    response = client.get("/admin/dashboard/export/leader.xlsx?month=2026-11")
    assert names_in(response) == "报修统计-2026-11-工单月报.xlsx"
    sheets = read_xlsx(response.data)
    assert list(sheets) == ["工单月报", "高发类别", "高发地点"]
    header, figures = sheets["工单月报"]["rows"]
    assert header[8:11] == ["平均响应（分钟）", "平均到场（分钟）", "平均维修（分钟）"]
    # P1–P4 as on the page; responses 5 and 5 minutes, on site 10 and 30, repairs 50 and 60;
    # repeats at 1号楼: P1 (水电) 18 days after P5, P4 (网络) 16 days after P3.
    assert figures == ["2026-11", 4.0, 2.0, 1.0, 1.0, 0.0, 2 / 3, 0.5, 5.0, 20.0, 55.0, 2.0,
                       3.5, 0.5, 2.0]
    assert sheets["高发类别"]["rows"][1:] == [["水电", 2.0], ["网络", 2.0]]
    assert sheets["高发地点"]["rows"][1:] == [["1号楼", 4.0]]
    rows = read_csv(client.get("/admin/dashboard/export/hot_places.csv?month=2026-11").data)
    assert rows == [["名称", "数量"], ["1号楼", "4"]]
    other = client.application.test_client()
    desk(other, "dispatcher", username="desk2")
    assert other.get("/admin/dashboard/export/leader.xlsx").status_code == 403
    assert other.get("/admin/dashboard/export/report.csv").status_code == 403
    assert "/admin/dashboard/export/leader" not in other.get("/admin/dashboard").get_data(
        as_text=True)
