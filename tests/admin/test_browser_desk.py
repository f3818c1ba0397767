"""The desk's day in headless Chromium, as the first account (an admin) lives it: a caller with
a name and unit, dispatch, a paper 派工单 brought back and recorded, the print, the search, the
month by unit. Screenshots go to test-artifacts/."""
from models.orders import RepairOrder
from tests.admin.test_browser import log_in
from tests.admin_flows import make_staff
from tests.browser import ARTIFACTS, save_screenshot
from tests.flows import plumber


def test_the_admin_records_a_paper_job_prints_finds_and_counts_it(app, client, clock,
                                                                   live_server, worker, page):
    plumber(client, clock)
    make_staff("boss", "admin", "系统管理员")
    log_in(page, live_server, "boss")
    page.click("text=电话/来访报修")
    page.fill("input[name=phone]", "13912345678")
    page.fill("input[name=name]", "刘老师")
    page.fill("input[name=unit]", "计算机学院")
    page.select_option("select[name=category]", label="水电")
    page.fill("input[name=location]", "3号楼201")
    page.fill("textarea[name=description]", "卫生间水管漏水，地面已积水")
    save_screenshot(page, "phone-entry-with-unit")
    page.click("text=提交工单")
    page.wait_for_selector("text=已录入工单")
    order = RepairOrder.select().order_by(RepairOrder.id.desc()).get()
    assert (order.reporter_name, order.reporter_unit) == ("刘老师", "计算机学院")
    page.select_option("select[name=engineer]", label="王师傅")
    page.click("form[action$='/dispatch'] button[type=submit]")
    page.wait_for_selector("text=已派单，已通知维修人员")

    clock.advance(hours=2)                     # 王师傅 never answers in WeChat; the paper comes back
    page.fill("input[name=completed_at]", "2026-11-26T12:40")   # after now: refused politely
    page.fill("textarea[name=solution]", "更换角阀，已试水")
    page.click("form.complete button[type=submit]")
    page.wait_for_selector("text=完工时间不能晚于现在")
    assert page.input_value("textarea[name=solution]") == "更换角阀，已试水"   # kept
    save_screenshot(page, "order-complete-refused")
    page.fill("input[name=completed_at]", "2026-11-26T10:40")
    page.fill("input[name=arrived_at]", "2026-11-26T09:42")
    page.fill("input[name=cost]", "35")
    page.click("form.complete button[type=submit]")
    page.wait_for_selector("text=已记录完工")
    done = RepairOrder.get_by_id(order.id)
    assert (done.status, str(done.completed_at)) == ("completed", "2026-11-26 10:40:00")
    assert page.locator("table.sla").inner_text().count("按时") == 2   # arrival and completion
    save_screenshot(page, "order-completed-by-the-desk")

    page.click("text=A5")
    for fact in ("刘老师", "计算机学院", "13700000001", "☑ 有偿"):
        assert page.locator(f"text={fact}").first.is_visible(), fact
    save_screenshot(page, "work-order-a5-completed")

    page.goto(f"{live_server}/admin/orders?q=刘老师")
    assert page.locator(f"text={order.number}").is_visible()
    save_screenshot(page, "orders-search")

    page.goto(f"{live_server}/admin/dashboard")
    page.wait_for_selector("#chart-unit[data-drawn]")
    assert "计算机学院" in page.locator("#table-unit").inner_text()
    page.locator("#report-chart-unit").screenshot(path=str(ARTIFACTS / "dashboard-by-unit.png"))
