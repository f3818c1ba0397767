"""The back office in headless Chromium: log in, enter a phone order, dispatch it, see it on the
dashboard, print the 派工单. Screenshots go to test-artifacts/."""
import json
import re
from dataclasses import replace

import pytest

from models.catalogue import Location

from models.orders import RepairOrder
from models.people import User
from tests.admin_flows import PASSWORD, make_staff
from tests.browser import ARTIFACTS, save_screenshot
from tests.flows import delivered, plumber


def log_in(tab, base, username):
    tab.goto(f"{base}/admin/login")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/admin/")


def enter_phone_order(tab, base) -> RepairOrder:
    tab.click("text=电话/来访报修")
    tab.fill("input[name=phone]", "13912345678")
    tab.fill("input[name=name]", "刘老师")
    tab.select_option("select[name=category]", label="水电")
    tab.fill("input[name=location]", "3号楼201")
    tab.fill("textarea[name=description]", "卫生间水管漏水，地面已积水")
    tab.click("text=提交工单")
    tab.wait_for_selector("text=已录入工单")
    return RepairOrder.select().order_by(RepairOrder.id.desc()).get()


def test_the_desk_enters_dispatches_charts_and_prints_an_order(app, client, clock, live_server,
                                                               worker, sandbox, page):
    wang = plumber(client, clock)
    make_staff("zhang", "supervisor", "主管老张")
    log_in(page, live_server, "zhang")

    order = enter_phone_order(page, live_server)
    assert page.url.endswith(f"/admin/orders/{order.id}")
    assert order.phone == "13912345678" and order.status == "submitted"

    page.select_option("select[name=engineer]", label="王师傅")
    page.click("form[action$='/dispatch'] button[type=submit]")
    page.wait_for_selector("text=已派单，已通知维修人员")
    save_screenshot(page, "order-page")
    assert RepairOrder.get_by_id(order.id).engineer_id == User.get(User.openid == wang.openid).id
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]

    see_it_on_the_dashboard(page, live_server, clock.now().day)

    page.goto(f"{live_server}/admin/orders/{order.id}")
    page.click("text=A5")
    page.wait_for_url(f"{live_server}/admin/orders/{order.id}/print?size=a5")
    for fact in (order.number, "刘老师", "13912345678", "王师傅", "报修人签字"):
        assert page.locator(f"text={fact}").first.is_visible(), fact
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()   # the toolbar does not print
    save_screenshot(page, "work-order-a5-print")
    pdf = page.pdf(prefer_css_page_size=True, path=str(ARTIFACTS / "work-order-a5.pdf"))
    width, height = pdf_page_size(pdf)
    assert (round(width / MM), round(height / MM)) == (148, 210)   # the @page size: A5


def see_it_on_the_dashboard(tab, base, day: int):
    """Today's figures count the order, and the orders-per-day chart is drawn with it."""
    tab.click("text=报修后台")
    tab.click("text=统计看板")
    tab.wait_for_selector("#chart-daily[data-drawn]")
    assert tab.locator("#glance-new_today .figure").inner_text() == "1"
    chart = json.loads(tab.locator("#chart-daily-data").text_content())
    assert chart["datasets"][0]["data"][day - 1] == 1   # one label a day from the 1st
    save_screenshot(tab, "dashboard")


MM = 72 / 25.4   # PDF points in a millimetre


def pdf_page_size(pdf: bytes) -> tuple[float, float]:
    """Width and height in points of the first page of a PDF Chromium wrote."""
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return float(box.group(1)), float(box.group(2))


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_a_poster_with_letterhead_prints_on_one_sheet(app, live_server, page, size):
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, app=replace(
        bot.settings.app, organization="东华大学后勤管理处", service_phone="021-67792000"))
    make_staff("zhou", "supervisor", "主管老周")
    log_in(page, live_server, "zhou")
    room = Location.get(Location.full_name == "东校区 3号楼 201")
    page.goto(f"{live_server}/admin/posters/location/{room.id}?size={size}")
    assert page.locator("text=东华大学后勤管理处").is_visible()
    assert page.locator("text=021-67792000").is_visible()
    assert page.locator("svg.qr").is_visible()
    page.emulate_media(media="print")
    save_screenshot(page, f"poster-{size}")
    pdf = page.pdf(prefer_css_page_size=True, path=str(ARTIFACTS / f"poster-{size}.pdf"))
    assert pdf_pages(pdf) == 1
    expected = {"a4": (210, 297), "a5": (148, 210)}[size]
    width, height = pdf_page_size(pdf)
    assert (round(width / MM), round(height / MM)) == expected


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF Chromium wrote has."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
