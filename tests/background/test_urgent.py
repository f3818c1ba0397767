"""Urgent orders: dispatched first, the engineer and the supervisors told at once, the urgent
SLA, and 紧急 wherever an engineer reads the job."""
from dataclasses import replace

import pytest

from models.catalogue import FaultType
from models.orders import NORMAL, URGENT, OrderEvent, RepairOrder
from models.people import User
from models.workflow import NewOrder, submit_order
from tests.background.test_clock_jobs import escalations, run
from tests.conftest import make_settings
from tests.flows import bind, delivered, plumber, report_leak
from wechat_bot.background import dispatch


@pytest.fixture
def settings(tmp_path, database_url, sandbox):
    """The test settings with the example's urgent limits ([sla.urgent])."""
    base = make_settings(tmp_path, database_url, api_base_url=sandbox.url)
    return replace(base, sla={"urgent": {"accept_minutes": 3, "arrive_minutes": 10,
                                         "complete_hours": 4}})


def make_urgent(order: RepairOrder) -> RepairOrder:
    """What the conversation stores for an emergency (handlers/emergency.mark → priority)."""
    RepairOrder.update(priority=URGENT).where(RepairOrder.id == order.id).execute()
    return RepairOrder.get_by_id(order.id)


def timeline(order):
    return [(e.trigger, e.note) for e in OrderEvent.timeline(RepairOrder.get_by_id(order.id))]


def test_a_new_order_keeps_its_priority(chat, clock):
    chat.say("我的报修")
    reporter = User.get(User.openid == chat.openid)
    water = FaultType.get(FaultType.name == "水电")
    stored = [submit_order(NewOrder(reporter=reporter.id, category=water, location_text="3号楼301",
                                    description=text, phone="13800138000", **extra), clock.now())
              for text, extra in (("跑水了", {"priority": URGENT}), ("滴水", {}))]
    assert [RepairOrder.get_by_id(o.id).priority for o in stored] == [URGENT, NORMAL]


def test_the_engineer_and_the_supervisors_are_told_at_once(client, chat, clock, worker, sandbox):
    wang = plumber(client, clock)
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = make_urgent(report_leak(chat))
    worker.run_until_idle()
    jobs = [(m["touser"], m["data"]["thing2"]["value"]) for m in delivered(sandbox, "new_job")]
    assert jobs == [(wang.openid, "【紧急】水电 东校区 3号楼 201")]
    assert escalations(sandbox) == [(boss.openid, "紧急报修，已派王师傅，请关注")]
    assert timeline(order)[1:] == [("dispatch", "派给王师傅"), ("urgent", "已通知主管")]
    assert "紧急报修：已通知主管" in chat.say(f"查询 {order.number}")


def test_rejected_and_dispatched_again_the_supervisors_are_not_told_twice(client, chat, clock,
                                                                         worker, sandbox):
    wang = plumber(client, clock)
    plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = make_urgent(report_leak(chat))
    worker.run_until_idle()
    wang.say(f"拒单 {order.number} 在外地")
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).engineer.name == "李师傅"
    assert escalations(sandbox) == [(boss.openid, "紧急报修，已派王师傅，请关注")]


def test_without_supervisors_the_leaders_hear_of_it(client, chat, clock, worker, sandbox):
    plumber(client, clock)
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = make_urgent(report_leak(chat))
    worker.run_until_idle()
    assert escalations(sandbox) == [(leader.openid, "紧急报修，已派王师傅，请关注")]
    assert timeline(order)[-1] == ("urgent", "已通知领导")


def test_an_urgent_order_nobody_can_take_asks_the_supervisors_to_dispatch_it_now(
        client, chat, clock, worker, sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = make_urgent(report_leak(chat))
    worker.run_until_idle()
    assert escalations(sandbox) == [(boss.openid, "紧急报修！暂无人可派，请立即人工派单")]
    assert timeline(order)[-1] == ("queue", "暂无合适的维修人员，已通知主管")


def test_the_worker_dispatches_urgent_orders_first(client, chat, clock, worker, sandbox):
    plumber(client, clock)
    normal = report_leak(chat)
    urgent = make_urgent(report_leak(chat, where="3号楼301"))
    assert worker.dispatcher.dispatch_pending(clock.now(), limit=1) == 1
    assert [RepairOrder.get_by_id(o.id).status for o in (normal, urgent)] == [
        "submitted", "dispatched"]


def test_the_queue_retry_takes_urgent_orders_first(client, chat, clock, worker, sandbox,
                                                   monkeypatch):
    normal = report_leak(chat)
    urgent = make_urgent(report_leak(chat, where="3号楼301"))
    worker.run_until_idle()  # both wait in the queue: no plumber yet
    plumber(client, clock)
    monkeypatch.setattr(dispatch, "QUEUE_RETRY_LIMIT", 1)
    assert worker.dispatcher.retry_queued(clock.now()) == 1
    assert [RepairOrder.get_by_id(o.id).status for o in (normal, urgent)] == [
        "submitted", "dispatched"]


def test_urgent_orders_run_on_the_urgent_sla(client, chat, clock, worker, sandbox):
    plumber(client, clock)
    li = plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    order = make_urgent(report_leak(chat))
    worker.run_until_idle()
    run(worker, clock, minutes=3, seconds=1)   # not accepted within 3 minutes: the next one
    assert RepairOrder.get_by_id(order.id).engineer.name == "李师傅"
    li.say("1")
    worker.run_until_idle()
    promised = delivered(sandbox, "accepted")[-1]["data"]
    arrival = [v["value"] for v in promised.values() if v["value"].startswith("2026-")]
    assert arrival == [f"{order.submitted_at:%Y-%m-%d} 09:40"]   # 10 minutes from the report
