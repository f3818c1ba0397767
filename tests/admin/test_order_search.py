"""The order list's search box (q) and the export of what the list shows."""
import re
from datetime import timedelta

import pytest

from models.catalogue import FaultType
from models.orders import RepairOrder
from models.people import User
from models.workflow import NewOrder, fire, submit_order
from tests.admin.test_export import names_in, read_csv, read_xlsx
from tests.admin.test_orders import orders_of
from tests.admin_flows import desk
from tests.conftest import START
from wechat_bot.admin import order_export, order_search

NUMBERS = re.compile(r">(BX\d{12})</a>")


def person(openid, name="", phone="", unit=""):
    return User.create(openid=openid, name=name, phone=phone, unit=unit, created_at=START)


def order(reporter, minutes_ago, description, category=None, name="", phone=None):
    """An order submitted `minutes_ago` before START."""
    kind = FaultType.get(FaultType.name == category) if category else None
    return submit_order(NewOrder(reporter, kind, "3号楼201", description,
                                 phone or reporter.phone or "13800138000", reporter_name=name),
                        START - timedelta(minutes=minutes_ago))


def found(client, query) -> list[str]:
    """The order numbers the list shows for `query`, top to bottom."""
    return NUMBERS.findall(orders_of(client, query))


@pytest.fixture
def desk_orders(app, client):
    liu = person("o_liu", "刘老师", "13912345678", "计算机学院")
    wang = person("o_wang", "王同学", "13700001111")
    made = {
        "tap": order(liu, 10, "卫生间水龙头漏水", "水电"),
        "light": order(liu, 20, "走廊灯不亮", "水电"),
        "aircon": order(wang, 30, "空调漏水 滴到桌上", "空调", name="小王"),
        "net": order(wang, 40, "宿舍网口没信号", "网络"),
        "old": order(liu, 60 * 24 * 400, "去年的水龙头漏水", "水电"),
    }
    desk(client, "leader")
    return made


def test_a_number_is_found_exactly_in_any_case_and_spacing(desk_orders, client):
    number = desk_orders["aircon"].number
    spaced = f"{number[:2].lower()} {number[2:6]} {number[6:10]} {number[10:]}"
    assert found(client, f"?q={spaced}") == [number]
    assert found(client, f"?q={number[:-1]}") == []          # not a prefix search
    assert found(client, f"?q={number[2:]}") == [number]       # without BX, as the chat reads it


def test_a_phone_finds_every_order_of_its_reporter_however_old(desk_orders, client):
    liu = [desk_orders[k].number for k in ("tap", "light", "old")]
    assert found(client, "?q=139-1234-5678") == liu
    assert found(client, "?q=+86 139 1234 5678") == liu
    assert found(client, "?q=13911112222") == []


def test_names_and_words_find_orders(desk_orders, client):
    n = {key: o.number for key, o in desk_orders.items()}
    assert found(client, "?q=刘老师") == [n["tap"], n["light"], n["old"]]      # the profile
    assert found(client, "?q=小王") == [n["aircon"]]                           # said with it
    assert found(client, "?q=漏水") == [n["tap"], n["aircon"], n["old"]]
    assert found(client, "?q=漏水  王") == [n["aircon"]]                 # every word must match
    assert found(client, "?q=1111") == [n["aircon"], n["net"]]          # the phone's digits
    assert found(client, "?q=100%") == []                               # no wildcards


def test_the_search_combines_with_the_filters(desk_orders, client):
    n = {key: o.number for key, o in desk_orders.items()}
    water = FaultType.get(FaultType.name == "水电").id
    assert found(client, f"?q=漏水&category={water}") == [n["tap"], n["old"]]
    assert found(client, f"?q=漏水&since={START.date()}") == [n["tap"], n["aircon"]]
    fire(desk_orders["tap"], "cancel", None, START)
    assert found(client, "?q=漏水&status=cancelled") == [n["tap"]]
    assert found(client, "?q=13912345678&status=submitted") == [n["light"], n["old"]]
    page = orders_of(client, "?q=漏水&status=cancelled")
    assert 'name="q" value="漏水"' in page
    assert "/admin/orders/export.csv?q=%E6%BC%8F%E6%B0%B4&amp;status=cancelled" in page


def test_a_words_search_reads_a_window_at_a_time_and_says_how_far(app, client, monkeypatch):
    monkeypatch.setattr(order_search, "WINDOW", 4)
    zhao = person("o_zhao", "赵老师", "13600000000")
    older = [order(zhao, 100 + n, "门锁坏了") for n in range(2)]
    for n in range(9):
        order(zhao, n, "灯不亮")
    desk(client, "leader")
    first = orders_of(client, "?q=门锁")
    assert NUMBERS.findall(first) == []
    assert "按词搜索每页查看 4 单：已查到 2026-11-26 09:27 提交的工单，其中符合条件的都列在上面。" in first
    going_on = re.findall(r'href="(/admin/orders\?[^"]*)">继续查找更早的工单', first)
    assert len(going_on) == 1 and "q=%E9%97%A8%E9%94%81" in going_on[0]
    second = orders_of(client, going_on[0].replace("&amp;", "&")[len("/admin/orders"):])
    assert "继续查找更早的工单" in second and NUMBERS.findall(second) == []   # 09:26 … 09:23
    third = orders_of(client, re.findall(r'href="/admin/orders(\?[^"]*)">继续查找', second)[0]
                      .replace("&amp;", "&"))
    assert NUMBERS.findall(third) == [o.number for o in older]
    assert "继续查找" not in third and "下一页" not in third


def test_typed_markup_in_the_search_is_shown_escaped(desk_orders, client):
    page = orders_of(client, "?q=<script>x</script>")
    assert "<script>x" not in page and 'value="&lt;script&gt;x&lt;/script&gt;"' in page


# ---------------------------------------------------------------- the export


def test_the_filtered_list_downloads_as_csv_and_excel(desk_orders, client):
    User.update(name="=HYPERLINK(1)").where(User.openid == "o_liu").execute()
    response = client.get("/admin/orders/export.csv?q=漏水")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert names_in(response) == "工单列表-20261126-0930.csv"
    rows = read_csv(response.data)
    assert rows[0] == ["单号", "提交时间", "状态", "类型", "位置", "描述", "报修人", "学院/部门",
                       "联系电话", "维修人员", "完工时间", "评分"]
    assert [row[0] for row in rows[1:]] == [desk_orders[k].number for k in ("tap", "aircon", "old")]
    assert rows[1][1:9] == ["2026-11-26 09:20", "待受理", "水电", "3号楼201", "卫生间水龙头漏水",
                            "'=HYPERLINK(1)", "", "13912345678"]
    assert rows[2][6] == "小王"
    sheets = read_xlsx(client.get("/admin/orders/export.xlsx?q=漏水").data)
    assert [row[0] for row in sheets["工单列表"]["rows"]] == [r[0] for r in rows]


def test_a_huge_result_is_cut_and_the_file_says_so(desk_orders, client, monkeypatch):
    monkeypatch.setattr(order_export, "EXPORT_LIMIT", 3)
    monkeypatch.setattr(order_export, "BATCH", 2)
    rows = read_csv(client.get("/admin/orders/export.csv").data)
    assert len(rows) == 1 + 3 + 1
    assert rows[-1][0] == "（符合条件的工单超过 3 单，只导出了最新的 3 单。请用提交日期等条件缩小范围，分批导出。）"
    assert set(rows[-1][1:]) == {""}


def test_the_desk_sees_no_export(app, client):
    desk(client, "dispatcher", username="front")
    assert "export.csv" not in orders_of(client)
    assert client.get("/admin/orders/export.csv").status_code == 403
    assert client.get("/admin/orders/export.xlsx").status_code == 403
