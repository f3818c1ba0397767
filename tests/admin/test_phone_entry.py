"""电话报修 / 来访: the desk enters an order that the worker dispatches and notifies like the chat's."""
import pytest

from models.catalogue import FaultType
from models.notifications import Notification
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.staff import AuditLog
from tests.admin_flows import TOKEN_RE, desk, log_in, make_staff, token
from tests.conftest import START
from tests.flows import delivered, plumber

PAGE = "/admin/phone-entry"


def entry(client, **changes):
    """POST the form with a valid leaking-tap report, changed by `changes`."""
    form = {"phone": "13912345678", "name": "李四", "source": "phone",
            "category": str(FaultType.get(FaultType.name == "水电").id),
            "location": "3号楼201", "description": "卫生间水龙头一直滴水"}
    form.update(changes)
    form.setdefault("csrf_token", TOKEN_RE.search(client.get(PAGE).get_data(as_text=True)).group(1))
    return client.post(PAGE, data=form)


def stored() -> int:
    return RepairOrder.select().count() + User.select().count() + AuditLog.select().count()


def test_a_phone_order_for_a_wechat_reporter_is_dispatched_and_notified(
        app, client, clock, worker, sandbox):
    wang = plumber(client, clock)
    alice = User.create(openid="o_reporter_alice_0001", name="爱丽丝", phone="13912345678",
                        created_at=START)
    desk(client)
    response = entry(client, phone="139 1234 5678")
    order = RepairOrder.get()
    assert response.status_code == 302 and response.location == f"/admin/orders/{order.id}"
    assert order.reporter_id == alice.id and order.location.full_name == "东校区 3号楼 201"
    assert f"已录入工单 {order.number}" in client.get(response.location).get_data(as_text=True)
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).engineer_id == User.get(User.openid == wang.openid).id
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]
    assert [m["touser"] for m in delivered(sandbox, "order_received")] == [alice.openid]
    submit = OrderEvent.get(OrderEvent.order == order.id, OrderEvent.trigger == "submit")
    assert submit.actor_id == alice.id and "desk" in submit.note
    row = AuditLog.get(AuditLog.action == "order.phone_entry")
    assert row.target == f"order:{order.number}" and row.actor == "desk"


def test_a_walk_in_with_a_new_phone_gets_a_desk_user_and_no_notice(
        app, client, clock, worker, sandbox):
    wang = plumber(client, clock)
    desk(client, role="supervisor", username="boss2")
    assert entry(client, phone="010-62345678", name="来访王五", source="visit").status_code == 302
    reporter = User.get(User.openid == "desk:010-62345678")
    assert (reporter.name, reporter.phone) == ("来访王五", "010-62345678")
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]
    assert delivered(sandbox, "order_received") == []
    assert not Notification.select().where(Notification.recipient == reporter.id).exists()
    entry(client, phone="010-62345678", description="又坏了")
    assert User.select().where(User.phone == "010-62345678").count() == 1  # found again


def test_validation_errors_write_nothing_and_keep_the_typed_values(app, client, clock):
    desk(client)
    before = stored()
    response = entry(client, phone="12345", name="", category="999", location="x",
                     description="坏", source="email")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and stored() == before
    for message in ("有效的联系电话", "报修人姓名", "故障类型", "报修位置", "问题描述", "报修来源"):
        assert message in page
    assert 'value="12345"' in page and ">坏</textarea>" in page


def test_roles_and_csrf(app, client, clock):
    assert client.get(PAGE).location.startswith("/admin/login")  # anonymous → login
    leader = app.test_client()
    make_staff("leader", "leader", "看看")
    log_in(leader, "leader")
    assert leader.get(PAGE).status_code == 403
    assert entry(leader, csrf_token=token(leader, "/admin/")).status_code == 403
    assert RepairOrder.select().count() == 0 and not User.select().exists()
    desk(client)
    assert "电话/来访报修" in client.get("/admin/").get_data(as_text=True)
    before = stored()
    assert entry(client, csrf_token="forged").status_code == 400 and stored() == before


def test_the_description_is_shown_escaped(app, client, clock):
    desk(client)
    response = entry(client, description="<script>alert(1)</script>")
    page = client.get(response.location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("field", ["description", "name", "location"])
def test_control_characters_are_refused_before_anything_is_stored(app, client, clock, field):
    desk(client)
    response = entry(client, **{field: "卫生间\x00漏水"})
    assert response.status_code == 400 and "控制字符" in response.get_data(as_text=True)
    assert RepairOrder.select().count() == 0
    assert client.get("/admin/orders?status=\x01").status_code == 400
    assert entry(client, description="第一行\r\n第二行\t缩进").status_code == 302  # typing is fine


def test_the_desk_finds_a_caller_by_name_or_phone_and_picks_them(app, client, clock):
    known = User.create(openid="o_teacher_liu_001", name="刘老师", phone="13912345678",
                        created_at=clock.now())
    desk(client)
    entry(client, phone="13912345678", location="5号楼302")   # an earlier call
    page = client.get("/admin/phone-entry?find=刘").get_data(as_text=True)
    assert "刘老师" in page and "13912345678" in page and "5号楼302" in page
    assert client.get("/admin/phone-entry?find=139-1234-5678").get_data(as_text=True) \
        .count("选用") == 1
    picked = client.get("/admin/phone-entry?phone=13912345678&name=刘老师&location=5号楼302")
    form = picked.get_data(as_text=True)
    assert 'name="phone" value="13912345678"' in form and 'value="5号楼302"' in form
    assert "没有找到“王五”" in client.get("/admin/phone-entry?find=王五").get_data(as_text=True)
    entry(client, phone="13912345678", name="刘老师", description="又漏了")
    assert RepairOrder.select().where(RepairOrder.reporter == known.id).count() == 2


def test_what_the_search_shows_is_escaped(app, client, clock):
    User.create(openid="o_evil_000001", name="<b>x</b>刘", phone="13912345679",
                created_at=clock.now())
    desk(client)
    page = client.get("/admin/phone-entry?find=<b>x").get_data(as_text=True)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;刘" in page
