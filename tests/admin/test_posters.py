"""QR code posters in the back office: drawn from WeChat's url, created once, failures explained."""
import pytest

from models.catalogue import Device, DeviceType, Location
from models.qrcodes import QrCode
from models.scenes import device_scene, location_scene
from models.staff import AuditLog
from tests.admin_flows import desk
from tests.wechat_sim import Chat
from wechat_bot.admin.posters import qr_svg

CREATE = "/cgi-bin/qrcode/create"
ROOM, BUILDING = "东校区 3号楼 201", "东校区 3号楼"
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def place(full_name: str) -> Location:
    return Location.get(Location.full_name == full_name)


def aircon() -> Device:
    return Device.get(Device.code == "KT-E3-201")


def creates(sandbox) -> list[dict]:
    return sandbox.state.calls(CREATE)


def page(client, path: str):
    response = client.get(path)
    return response, response.get_data(as_text=True)


@pytest.fixture
def supervisor(client):
    desk(client, "supervisor", "lead", "主管老周")
    return client


def test_a_location_poster_draws_the_code_wechat_issued_once(supervisor, sandbox):
    room = place(ROOM)
    response, html = page(supervisor, f"/admin/posters/location/{room.id}")
    assert response.status_code == 200
    [issued] = sandbox.state.issued_qrcodes()
    assert (issued["action_name"], issued["scene_str"]) == ("QR_LIMIT_STR_SCENE", f"loc:{room.id}")
    assert str(qr_svg(issued["url"])) in html and '<svg viewBox=' in html  # the url WeChat gave
    assert ROOM in html and "微信扫一扫" in html and "扫码报修" in html
    stored = QrCode.get(QrCode.scene == location_scene(room.id))
    assert (stored.ticket, stored.url) == (issued["ticket"], issued["url"])
    again, html_again = page(supervisor, f"/admin/posters/location/{room.id}")
    assert again.status_code == 200 and str(qr_svg(issued["url"])) in html_again
    assert len(creates(sandbox)) == 1  # reprinting never calls WeChat
    assert AuditLog.select().where(AuditLog.action == "poster.qrcode").count() == 1


def test_a_device_poster_names_the_device_and_where_it_stands(supervisor, sandbox):
    response, html = page(supervisor, f"/admin/posters/device/{aircon().id}")
    assert response.status_code == 200
    assert "空调 KT-E3-201" in html and f"位置：{ROOM}" in html and "<svg" in html
    assert sandbox.state.issued_qrcodes()[0]["scene_str"] == device_scene(aircon().id)


def test_the_paper_is_a4_unless_a5_is_asked_for(supervisor):
    room = place(ROOM).id
    assert '<body class="a4">' in page(supervisor, f"/admin/posters/location/{room}")[1]
    assert '<body class="a5">' in page(supervisor, f"/admin/posters/location/{room}?size=a5")[1]
    assert '<body class="a4">' in page(supervisor, f"/admin/posters/location/{room}?size=x")[1]


def test_pages_keep_to_the_content_security_policy(supervisor):
    for path in (f"/admin/posters/location/{place(ROOM).id}",
                 f"/admin/posters/device/{aircon().id}",
                 f"/admin/posters/location/{place(BUILDING).id}/rooms"):
        response, html = page(supervisor, path)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "<script" not in html and " style=" not in html and "<style" not in html
        assert "/admin/static/poster.css" in html


def test_a_busy_wechat_gives_a_clear_page_with_a_retry(supervisor, sandbox):
    room = place(ROOM).id
    sandbox.state.add_fault(CREATE, errcode=-1)
    response, html = page(supervisor, f"/admin/posters/location/{room}?size=a5")
    assert response.status_code == 503
    assert "二维码暂时无法生成" in html and "请稍后重试" in html
    assert f'href="/admin/posters/location/{room}?size=a5"' in html  # 重试
    assert QrCode.select().count() == 0
    assert page(supervisor, f"/admin/posters/location/{room}?size=a5")[0].status_code == 200
    assert QrCode.select().count() == 1


def test_a_refused_code_says_who_can_fix_it(supervisor, sandbox):
    sandbox.state.add_fault(CREATE, errcode=48001)  # e.g. an account without the API
    response, html = page(supervisor, f"/admin/posters/device/{aircon().id}")
    assert response.status_code == 503
    assert "微信拒绝生成这个二维码（错误码 48001）" in html and "系统管理员" in html


def test_a_rejected_token_is_refreshed_without_troubling_the_user(supervisor, sandbox):
    page(supervisor, f"/admin/posters/location/{place(ROOM).id}")
    sandbox.state.invalidate_tokens()
    assert page(supervisor, f"/admin/posters/device/{aircon().id}")[0].status_code == 200
    assert [call["errcode"] for call in creates(sandbox)] == [0, 40001, 0]


@pytest.mark.parametrize("role, status", [("dispatcher", 200), ("supervisor", 200),
                                          ("admin", 200), ("leader", 403)])
def test_roles(client, sandbox, role, status):
    desk(client, role, f"user_{role}", "某人")
    for path in (f"/admin/posters/location/{place(ROOM).id}",
                 f"/admin/posters/device/{aircon().id}",
                 f"/admin/posters/location/{place(BUILDING).id}/rooms"):
        assert client.get(path).status_code == status
    if status == 403:
        assert creates(sandbox) == []  # a forbidden view never reaches WeChat


def test_anonymous_users_are_sent_to_the_login(client, sandbox):
    response = client.get(f"/admin/posters/location/{place(ROOM).id}")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert creates(sandbox) == []


def test_missing_or_deactivated_places_are_404(supervisor, sandbox):
    assert supervisor.get("/admin/posters/location/999999").status_code == 404
    assert supervisor.get("/admin/posters/device/999999").status_code == 404
    Location.update(active=False).where(Location.id == place(ROOM).id).execute()
    Device.update(active=False).where(Device.id == aircon().id).execute()
    assert supervisor.get(f"/admin/posters/location/{place(ROOM).id}").status_code == 404
    assert supervisor.get(f"/admin/posters/device/{aircon().id}").status_code == 404
    assert creates(sandbox) == []


def test_names_are_shown_escaped(supervisor):
    building = Location.create(name=XSS, full_name=f"东校区 {XSS}")
    Location.create(name=XSS, parent=building, level="room", full_name=f"东校区 {XSS} {XSS}")
    kind = DeviceType.create(name=XSS)
    device = Device.create(code=XSS, device_type=kind, location=building)
    for path in (f"/admin/posters/location/{building.id}", f"/admin/posters/device/{device.id}",
                 f"/admin/posters/location/{building.id}/rooms"):
        response, html = page(supervisor, path)
        assert response.status_code == 200
        assert XSS not in html and ESCAPED in html


def test_the_rooms_sheet_labels_every_active_room_once(supervisor, sandbox):
    building = place(BUILDING)
    page(supervisor, f"/admin/posters/location/{place(ROOM).id}")  # 201 has its code already
    Location.update(active=False).where(Location.full_name == f"{BUILDING} 301").execute()
    response, html = page(supervisor, f"/admin/posters/location/{building.id}/rooms")
    assert response.status_code == 200
    assert html.count('<div class="label">') == 2 and html.count("<svg") == 2
    assert ">101<" in html and ">201<" in html and ">301<" not in html
    assert [call["body"]["action_info"]["scene"]["scene_str"] for call in creates(sandbox)] == \
        [location_scene(place(ROOM).id), location_scene(place(f"{BUILDING} 101").id)]
    page(supervisor, f"/admin/posters/location/{building.id}/rooms")
    assert len(creates(sandbox)) == 2


def test_scanning_a_printed_poster_starts_a_report_there(supervisor, sandbox):
    page(supervisor, f"/admin/posters/device/{aircon().id}")
    scene = sandbox.state.issued_qrcodes()[0]["scene_str"]  # what WeChat sends when scanned
    reply = Chat(supervisor, "o_reporter_scan_0001").event("SCAN", scene)
    assert f"报修地点：{ROOM}（设备：空调 KT-E3-201）" in reply


def test_a_big_sheet_creates_its_codes_in_batches(supervisor, sandbox, monkeypatch):
    monkeypatch.setattr("wechat_bot.admin.posters.MAX_NEW_PER_VIEW", 2)
    building = place(BUILDING)
    first = page(supervisor, f"/admin/posters/location/{building.id}/rooms")[1]
    assert first.count('<div class="label">') == 2 and "还有 1 个房间的二维码尚未生成" in first
    second = page(supervisor, f"/admin/posters/location/{building.id}/rooms")[1]
    assert second.count('<div class="label">') == 3 and "尚未生成" not in second
    assert len(creates(sandbox)) == 3


def test_a_sheet_that_wechat_fails_keeps_what_it_made_and_can_be_retried(supervisor, sandbox):
    building = place(BUILDING)
    page(supervisor, f"/admin/posters/location/{place(ROOM).id}")
    sandbox.state.add_fault(CREATE, errcode=45009)
    response, html = page(supervisor, f"/admin/posters/location/{building.id}/rooms")
    assert response.status_code == 503 and "错误码 45009" in html and "重试" in html
    assert QrCode.select().count() == 1
    assert page(supervisor, f"/admin/posters/location/{building.id}/rooms")[1] \
        .count('<div class="label">') == 3
