"""电话报修 / 来访: the desk enters an order that the worker dispatches and notifies like the chat's."""
from dataclasses import replace

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
    for message in ("有效的联系电话", "报修人称呼", "故障类型", "报修位置", "问题描述", "报修来源"):
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


def with_units(app, label="学院/部门", units=()):
    bot = app.extensions["baoxiu"]
    bot.settings = replace(bot.settings, conversation=replace(
        bot.settings.conversation, unit_label=label, units=tuple(units)))


def test_the_name_and_unit_go_on_the_order_and_on_a_desk_user(app, client, clock):
    desk(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert "报修人称呼" in page and '<label>学院/部门（可不填） <input name="unit"' in page
    entry(client, name="王同学", unit="计算机学院")
    order = RepairOrder.get()
    assert (order.reporter_name, order.reporter_unit) == ("王同学", "计算机学院")
    caller = User.get(User.openid == "desk:13912345678")
    assert (caller.name, caller.unit) == ("王同学", "计算机学院")
    entry(client, name="王老师", unit="")            # a later call: the unit is not lost
    caller = User.get_by_id(caller.id)
    assert (caller.name, caller.unit) == ("王老师", "计算机学院")
    assert RepairOrder.select().order_by(RepairOrder.id.desc()).get().reporter_unit == ""
    found = client.get(f"{PAGE}?find=王老师").get_data(as_text=True)
    assert "<td>计算机学院</td>" in found and "unit=%E8%AE%A1" in found   # 选用 carries it


def test_a_wechat_reporters_profile_stays_theirs(app, client, clock):
    alice = User.create(openid="o_reporter_alice_0001", name="爱丽丝", phone="13912345678",
                        unit="外语学院", created_at=START)
    desk(client)
    entry(client, name="爱丽丝的室友", unit="数学学院")
    order = RepairOrder.get()
    assert (order.reporter_id, order.reporter_name, order.reporter_unit) == (
        alice.id, "爱丽丝的室友", "数学学院")
    assert (User.get_by_id(alice.id).name, User.get_by_id(alice.id).unit) == ("爱丽丝", "外语学院")


def test_listed_units_are_chosen_from_the_list(app, client, clock):
    with_units(app, units=["计算机学院", "后勤处"])
    desk(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert '<option value="后勤处">后勤处</option>' in page and '<input name="unit"' not in page
    response = entry(client, unit="火星学院")
    assert response.status_code == 400 and RepairOrder.select().count() == 0
    assert "请从列表中选择学院/部门，不清楚可不选。" in response.get_data(as_text=True)
    assert entry(client, unit="后勤处").status_code == 302
    assert RepairOrder.get().reporter_unit == "后勤处"


def test_no_unit_is_asked_or_kept_when_the_label_is_empty(app, client, clock):
    with_units(app, label="")
    desk(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="unit"' not in page and "称呼随工单保存" in page
    entry(client, unit="计算机学院")
    assert RepairOrder.get().reporter_unit == ""


def test_a_typed_unit_too_long_is_refused(app, client, clock):
    desk(client)
    response = entry(client, unit="院" * 101)
    assert response.status_code == 400
    assert "学院/部门太长了，最多100个字。" in response.get_data(as_text=True)


@pytest.mark.parametrize("changes, priority", [
    ({}, "normal"),
    ({"urgent": "1"}, "urgent"),                                       # the desk ticked it
    ({"description": "楼上卫生间水管爆了，一直在跑水"}, "urgent"),     # an urgent keyword
])
def test_a_phone_order_is_urgent_when_ticked_or_when_its_words_say_so(app, client, clock,
                                                                      worker, sandbox, changes,
                                                                      priority):
    wang = plumber(client, clock)
    desk(client)
    assert "紧急（立即派单并通知主管" in client.get(PAGE).get_data(as_text=True)
    entry(client, **changes)
    order = RepairOrder.get()
    assert order.priority == priority
    worker.run_until_idle()
    jobs = [m["data"]["thing2"]["value"] for m in delivered(sandbox, "new_job")]
    assert jobs == [("【紧急】" if priority == "urgent" else "") + "水电 3号楼201"]
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]
