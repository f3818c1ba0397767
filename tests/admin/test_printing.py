"""Printed paper: the 派工单 (A5/A4) and the day's unfinished orders (当日未完成记录)."""
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from models.orders import Attachment, RepairOrder
from models.workflow import fire
from tests.admin_flows import desk
from tests.conftest import START
from tests.flows import finished_job
from tests.admin.test_orders import new_order, reporter

XSS = "<script>alert(1)</script>"


def sheet(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_work_order_holds_what_the_engineer_and_reporter_sign(app, client, clock, chat,
                                                                  worker, settings):
    _, order = finished_job(client, chat, clock, worker, arrive=True)
    RepairOrder.update(cost=35).where(RepairOrder.id == order.id).execute()
    desk(client)
    page = sheet(client, f"/admin/orders/{order.id}/print")
    assert 'class="sheet-a5"' in page and "print.css" in page and "print.js" in page
    for fact in (order.number, "维修派工单", "东校区 3号楼 201", "卫生间水龙头一直滴水", "13800138000",
                 "王师傅", "13700000001", "维修人员签字", "报修人签字", "☑ 有偿", "35.00"):
        assert fact in page, fact
    for stamp in (order.submitted_at, order.accepted_at, order.arrived_at, order.completed_at):
        assert stamp.strftime("%Y-%m-%d %H:%M") in page
    assert 'class="sheet-a4"' in sheet(client, f"/admin/orders/{order.id}/print?size=a4")
    assert 'class="sheet-a5"' in sheet(client, f"/admin/orders/{order.id}/print?size=letter")


BOX = re.compile(r"<th>报修人评价</th><td colspan=\"3\">(.*?)</td>")


@pytest.mark.parametrize("rating, boxes", [
    (None, "☐ 满意　☐ 基本满意　☐ 不满意"),
    (5, "☑ 满意　☐ 基本满意　☐ 不满意（5 分）"), (4, "☑ 满意　☐ 基本满意　☐ 不满意（4 分）"),
    (3, "☐ 满意　☑ 基本满意　☐ 不满意（3 分）"),
    (2, "☐ 满意　☐ 基本满意　☑ 不满意（2 分）"), (1, "☐ 满意　☐ 基本满意　☑ 不满意（1 分）"),
])
def test_the_rating_ticks_its_box(app, client, clock, rating, boxes):
    order = new_order(reporter(), clock.now())
    RepairOrder.update(rating=rating).where(RepairOrder.id == order.id).execute()
    desk(client)
    assert BOX.search(sheet(client, f"/admin/orders/{order.id}/print")).group(1) == boxes


def test_the_reporter_is_named_as_they_said_it_else_as_their_profile_says(app, client, clock):
    person = reporter()                          # 张三, no unit on the profile
    said = new_order(person, clock.now())
    RepairOrder.update(reporter_name="张老师", reporter_unit="计算机学院").where(
        RepairOrder.id == said.id).execute()
    profile_only = new_order(person, clock.now())
    desk(client)
    page = sheet(client, f"/admin/orders/{said.id}/print")
    assert "<th>报修人</th><td>张老师</td>" in page
    assert "<th>学院/部门</th><td colspan=\"3\">计算机学院</td>" in page
    assert "<th>报修人</th><td>张三</td>" in sheet(client, f"/admin/orders/{profile_only.id}/print")
    order_page = client.get(f"/admin/orders/{said.id}").get_data(as_text=True)
    assert "<dd>张老师 · 13800138000</dd>" in order_page
    assert "<dt>学院/部门</dt><dd>计算机学院</dd>" in order_page


def test_no_unit_row_when_the_site_asks_for_none(app, client, clock):
    order = new_order(reporter(), clock.now())
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, conversation=replace(bot.settings.conversation,
                                                              unit_label=""))
    desk(client)
    assert "学院/部门" not in sheet(client, f"/admin/orders/{order.id}/print")
    assert "学院/部门" not in client.get(f"/admin/orders/{order.id}").get_data(as_text=True)


def test_a_vendors_order_prints_the_vendor_and_its_phone(app, client, clock):
    order = new_order(reporter(), clock.now())
    fire(order, "dispatch", None, clock.now(), vendor_name="格力售后", vendor_phone="4008365315")
    desk(client)
    page = sheet(client, f"/admin/orders/{order.id}/print")
    assert "<td>格力售后（保修厂商）</td>" in page and "<th>人员电话</th><td>4008365315</td>" in page


def test_without_an_organization_the_screen_says_the_paper_has_no_letterhead(app, client, clock):
    order = new_order(reporter(), clock.now())
    desk(client)
    for path in (f"/admin/orders/{order.id}/print", "/admin/orders/unfinished"):
        assert "未设置单位名称（配置文件 [app] organization），打印件没有抬头。" in sheet(client, path)
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, app=replace(bot.settings.app, organization="东华大学后勤处"))
    assert "未设置单位名称" not in sheet(client, f"/admin/orders/{order.id}/print")


def test_free_unpaid_and_unknown_cost_tick_the_right_box(app, client, clock):
    order = new_order(reporter(), clock.now())
    desk(client)
    page = sheet(client, f"/admin/orders/{order.id}/print")
    assert "☐ 无偿" in page and "☐ 有偿" in page   # not done yet: nothing ticked
    RepairOrder.update(cost=0).where(RepairOrder.id == order.id).execute()
    page = sheet(client, f"/admin/orders/{order.id}/print")
    assert "☑ 无偿" in page and "☐ 有偿" in page


def test_the_work_order_shows_downloaded_photos_and_the_letterhead(app, client, clock):
    order = new_order(reporter(), clock.now())
    for n in range(5):
        Attachment.create(order=order, uploader=order.reporter, media_id=f"m{n}", stage="before",
                          downloaded=n != 0, file_path=f"/nowhere/{n}.jpg", created_at=START)
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, app=replace(bot.settings.app, organization="东华大学后勤处",
                                                     service_phone="021-67792000"))
    desk(client)
    page = sheet(client, f"/admin/orders/{order.id}/print")
    assert page.count("/admin/photos/") == 4     # four thumbnails; the one not downloaded is left out
    assert "东华大学后勤处 维修派工单" in page and "报修电话 021-67792000" in page


def test_what_people_typed_is_printed_escaped(app, client, clock):
    order = new_order(reporter(), clock.now(), description=XSS, where=XSS)
    desk(client)
    for path in (f"/admin/orders/{order.id}/print", "/admin/orders/unfinished"):
        page = sheet(client, path)
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_daily_list_holds_what_was_open_when_the_day_ended(app, client, clock):
    people = reporter()
    yesterday = clock.now() - timedelta(days=1)
    done_today = new_order(people, yesterday, "昨天报今天修好")
    fire(done_today, "dispatch", None, yesterday)
    fire(done_today, "accept", None, yesterday)
    fire(done_today, "complete", None, clock.now())
    cancelled_yesterday = new_order(people, yesterday, "昨天撤回")
    fire(cancelled_yesterday, "cancel", None, yesterday + timedelta(minutes=5))
    open_long = new_order(people, clock.now() - timedelta(days=40), "四十天没修好")
    new_today = new_order(people, clock.now(), "今天的新单")
    desk(client)
    today = sheet(client, "/admin/orders/unfinished")
    assert "共 <strong>2</strong> 单" in today
    assert today.index("四十天没修好") < today.index("今天的新单")   # oldest first
    assert "昨天报今天修好" not in today and "40天" in today and "未派单" in today
    past = sheet(client, f"/admin/orders/unfinished?day={yesterday.date().isoformat()}")
    assert "共 <strong>2</strong> 单" in past
    assert "昨天报今天修好" in past and "四十天没修好" in past
    assert "昨天撤回" not in past and "今天的新单" not in past
    assert open_long.number in past and new_today.number not in past


@pytest.mark.parametrize("day", ["2026-13-01", "next week", "2099-01-01"])
def test_a_bad_day_shows_today_with_a_note(app, client, clock, day):
    desk(client)
    page = sheet(client, f"/admin/orders/unfinished?day={day}")
    assert "日期无效" in page and clock.now().date().isoformat() in page


@pytest.mark.parametrize("role", ["dispatcher", "supervisor", "leader", "admin"])
def test_every_role_may_print_and_strangers_log_in_first(app, client, clock, role):
    order = new_order(reporter(), clock.now())
    assert client.get(f"/admin/orders/{order.id}/print").status_code == 302
    assert client.get("/admin/orders/unfinished").status_code == 302
    desk(client, role=role)
    assert client.get(f"/admin/orders/{order.id}/print").status_code == 200
    assert client.get("/admin/orders/999999/print").status_code == 404
    home = sheet(client, "/admin/")
    assert "当日未完成记录" in home
