"""催单 reaches a person and says which: the engineer, else the chain above the order."""
from dataclasses import replace

import pytest

from models.catalogue import Device
from models.orders import RepairOrder
from tests.conftest import make_settings
from tests.flows import bind, delivered, dispatched_job, report_leak

DESK_PHONE = "021-67792000"


@pytest.fixture
def settings(tmp_path, database_url, sandbox):
    """The test settings with a service phone ([app] service_phone)."""
    base = make_settings(tmp_path, database_url, api_base_url=sandbox.url)
    return replace(base, app=replace(base.app, service_phone=DESK_PHONE))


def escalations(sandbox):
    return [(m["touser"], m["data"]["thing2"]["value"], m["data"]["character_string1"]["value"])
            for m in delivered(sandbox, "escalation")]


def test_urging_a_dispatched_order_names_the_engineer_as_reminded(client, chat, clock, worker,
                                                                  sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    assert chat.say(f"催单 {order.number}") == f"已提醒维修人员尽快处理 {order.number}。"
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "urge")] == [wang.openid]


def test_urging_a_queued_order_reminds_the_supervisor_and_says_so(client, chat, clock, worker,
                                                                  sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = report_leak(chat)
    worker.run_until_idle()
    clock.advance(minutes=10)
    assert chat.say(f"催单 {order.number}") == f"已提醒主管尽快安排 {order.number}。"
    worker.run_until_idle()
    assert escalations(sandbox)[-1] == (boss.openid, "报修人催单，尚未派出", order.number)


def test_urging_a_queued_order_without_supervisors_reminds_the_leaders(client, chat, clock,
                                                                      worker, sandbox):
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = report_leak(chat)
    worker.run_until_idle()
    assert chat.say(f"催单 {order.number}") == f"已提醒领导尽快安排 {order.number}。"
    worker.run_until_idle()
    assert escalations(sandbox)[-1] == (leader.openid, "报修人催单，尚未派出", order.number)


def test_urging_with_nobody_to_reach_says_so_and_gives_the_phone(client, chat, clock, worker,
                                                                 sandbox):
    order = report_leak(chat)
    worker.run_until_idle()
    assert chat.say(f"催单 {order.number}") == (
        f"抱歉，暂时没能联系上处理人员，{order.number} 的催单未能送达。\n请拨打报修电话 {DESK_PHONE}。")
    assert RepairOrder.get_by_id(order.id).urged_at is None  # nothing sent: not counted
    clerk = bind(client, clock, "o_dispatcher_0001", "dispatcher")
    assert chat.say(f"催单 {order.number}") == f"已提醒值班人员尽快安排 {order.number}。"
    worker.run_until_idle()
    assert escalations(sandbox)[-1] == (clerk.openid, "报修人催单，尚未派出", order.number)


def test_urging_a_vendor_order_reminds_the_supervisor_and_gives_the_vendor(client, chat, clock,
                                                                          worker, sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = report_leak(chat)
    RepairOrder.update(device=Device.get(Device.code == "KT-E3-201")).execute()
    worker.run_until_idle()
    assert chat.say(f"催单 {order.number}") == (
        f"已提醒主管尽快安排 {order.number}。\n此单由保修厂家格力售后维修，厂家电话 4008365315。")
    worker.run_until_idle()
    assert escalations(sandbox)[-1] == (boss.openid, "报修人催单，请督促格力售后", order.number)
