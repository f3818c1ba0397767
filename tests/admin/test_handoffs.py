"""转人工: one open request per person, the desk's page with what it needs to call them back,
已处理 (CSRF, audit), and the count on the home page."""
from datetime import timedelta

from models.handoff import HandoffRequest, request_handoff
from models.people import User
from models.staff import AuditLog
from tests.admin.test_orders import new_order
from tests.admin_flows import desk, token
from tests.conftest import START


def person(name="李阿姨", phone="13912345678", unit="5号楼312") -> User:
    return User.create(openid=f"o_{phone}", name=name, phone=phone, unit=unit, created_at=START)


def test_asking_three_times_is_one_open_request_at_the_top(database):
    li, wu = person(), person("吴老师", "13700001111")
    first = request_handoff(li.id, "转人工", START)
    request_handoff(wu.id, "人工客服", START + timedelta(minutes=1))
    request_handoff(li.id, "人工", START + timedelta(minutes=2))
    again = request_handoff(li.id, "  我要找  人工  ", START + timedelta(minutes=3))
    assert again.id == first.id and again.times == 3 and again.text == "我要找 人工"
    assert [r.user.name for r in HandoffRequest.open_requests(10)] == ["李阿姨", "吴老师"]
    assert HandoffRequest.open_count() == 2


def test_after_the_desk_handled_it_asking_again_is_a_new_request(database):
    li = person()
    first = request_handoff(li.id, "转人工", START)
    HandoffRequest.update(handled_at=START).where(HandoffRequest.id == first.id).execute()
    later = request_handoff(li.id, "还是没人来", START + timedelta(hours=2))
    assert later.id != first.id and later.times == 1


def test_the_desk_sees_who_waits_with_phone_unit_and_recent_orders(app, client, clock):
    li = person()
    leak = new_order(li, START - timedelta(days=1), description="卫生间漏水")
    request_handoff(li.id, "转人工", START)
    request_handoff(li.id, "人工客服", START + timedelta(minutes=5))
    desk(client)
    page = client.get("/admin/handoffs").get_data(as_text=True)
    assert "等待处理（1）" in page and "已问 2 次" in page
    for shown in ("李阿姨", "13912345678", "5号楼312", "人工客服", leak.number, "待受理"):
        assert shown in page, shown
    home = client.get("/admin/").get_data(as_text=True)
    assert ">转人工</a> <strong class=\"waiting\">1 人等待处理</strong>" in home


def test_handled_takes_it_off_the_list_once_and_is_audited(app, client, clock):
    li = person()
    waiting = request_handoff(li.id, "转人工", START)
    desk(client, display_name="前台小李")
    path = f"/admin/handoffs/{waiting.id}/handled"
    assert client.post(path).status_code == 400                       # no CSRF token
    answer = client.post(path, data={"csrf_token": token(client, "/admin/handoffs")})
    assert answer.status_code == 302
    page = client.get("/admin/handoffs").get_data(as_text=True)
    assert "已标记为已处理" in page and "目前没有等待人工的请求" in page
    assert "最近已处理" in page and "前台小李" in page
    again = client.post(path, data={"csrf_token": token(client, "/admin/handoffs")})
    assert "已由其他同事处理" in client.get(again.location).get_data(as_text=True)
    audits = AuditLog.select().where(AuditLog.action == "handoff.handled")
    assert [(a.target, a.detail) for a in audits] == [
        (f"handoff:{waiting.id}", "李阿姨 13912345678 转人工")]
    assert "等待处理" not in client.get("/admin/").get_data(as_text=True)


def test_only_the_desk_roles_open_it(app, client):
    desk(client, role="leader", username="lingdao")
    assert client.get("/admin/handoffs").status_code == 403
    assert "转人工" not in client.get("/admin/").get_data(as_text=True)
