"""The catalogue and people pages in headless Chromium: no CSP or script errors, the forms work.
Screenshots go to test-artifacts/."""
from models.catalogue import Location
from models.people import EngineerProfile
from tests.admin_flows import make_staff
from tests.browser import save_screenshot
from tests.flows import plumber
from tests.admin.test_browser import log_in


def test_a_supervisor_adds_a_room_and_moves_an_engineer_to_nights(app, client, clock,
                                                                  live_server, page):
    plumber(client, clock)
    make_staff("zhang", "supervisor", "主管老张")
    log_in(page, live_server, "zhang")
    page.click("text=基础资料")
    page.click("a[href='/admin/catalogue/locations']")
    library = Location.get(Location.full_name == "东校区 图书馆")
    page.click(f"a[href='/admin/catalogue/locations/new?parent={library.id}']")
    page.fill("input[name=name]", "201自习室")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建")
    assert Location.get(Location.full_name == "东校区 图书馆 201自习室").level == "room"
    save_screenshot(page, "catalogue-locations")

    page.goto(f"{live_server}/admin/people/engineers")
    page.click("text=编辑")
    page.select_option("select[name=shift]", value="night")
    page.check("input[name=skills] >> nth=2")
    save_screenshot(page, "engineer-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    profile = EngineerProfile.get()
    assert profile.shift == "night" and profile.skills.count() == 2
