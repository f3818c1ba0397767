"""完工 recorded by the desk: a warranty vendor's order, a paper 派工单 brought back."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from models.catalogue import Device
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.staff import AuditLog
from models.statistics import month_period, period_counters
from models.statistics_engineers import engineer_performance
from tests.admin.test_orders import post
from tests.admin_flows import desk
from tests.background.test_clock_jobs import run
from tests.conftest import START
from tests.flows import delivered, dispatched_job, plumber, report_leak


def vendor_order(client, chat, clock, worker) -> RepairOrder:
    """An air conditioner under warranty: dispatched to 格力售后, nobody assigned."""
    plumber(client, clock)
    order = report_leak(chat)
    RepairOrder.update(device=Device.get(Device.code == "KT-E3-201")).execute()
    worker.run_until_idle()
    routed = RepairOrder.get_by_id(order.id)
    assert (routed.status, routed.engineer_id, routed.vendor_name) == (
        "dispatched", None, "格力售后")
    return routed


def page_after(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.location).get_data(as_text=True)


def completes(order) -> list:
    return list(OrderEvent.select().where(OrderEvent.order == order.id,
                                          OrderEvent.trigger == "complete"))


def test_a_vendors_order_is_completed_at_the_time_on_the_paper(
        app, client, clock, chat, worker, sandbox):
    order = vendor_order(client, chat, clock, worker)
    clock.advance(days=2)
    desk(client)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "记录完工</button>" in page and 'placeholder="格力售后"' in page
    response = post(client, order, "complete", completed_at="2026-11-27T14:05",
                    solution="更换压缩机电容", cost="35.50", done_by="")
    assert "已记录完工，已通知报修人评价。" in page_after(client, response)
    done = RepairOrder.get_by_id(order.id)
    assert (done.status, done.completed_at, done.solution, done.cost) == (
        "completed", datetime(2026, 11, 27, 14, 5), "更换压缩机电容", Decimal("35.50"))
    [event] = completes(order)
    assert (event.created_at, event.actor_id, event.from_status) == (clock.now(), None,
                                                                    "dispatched")
    assert event.note == "格力售后 完工于 2026-11-27 14:05：更换压缩机电容（后台：desk）"
    assert AuditLog.get(AuditLog.action == "order.complete").target == f"order:{order.number}"
    worker.run_until_idle()
    [notice] = delivered(sandbox, "completed")
    assert notice["touser"] == chat.openid
    assert notice["data"]["character_string1"]["value"] == order.number
    assert notice["data"]["time3"]["value"] == "2026-11-27 14:05"
    assert "评价" in chat.say(f"评价 {order.number} 5 很快")
    assert RepairOrder.get_by_id(order.id).rating == 5


def test_the_survey_counts_from_when_the_reporter_heard(app, client, clock, chat, worker,
                                                        sandbox):
    """A paper three days old must not close unrated the moment it is typed in."""
    order = vendor_order(client, chat, clock, worker)
    clock.advance(days=3)
    desk(client)
    post(client, order, "complete", completed_at="2026-11-26T10:00", solution="已修好")
    run(worker, clock, minutes=10)
    assert RepairOrder.get_by_id(order.id).status == "completed"
    assert delivered(sandbox, "survey") == []
    run(worker, clock, hours=24)
    assert [m["touser"] for m in delivered(sandbox, "survey")] == [chat.openid]
    run(worker, clock, hours=24)
    assert RepairOrder.get_by_id(order.id).status == "closed"


def test_a_paper_job_counts_for_its_engineer_and_the_statistics(
        app, client, clock, chat, worker, sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)   # 王师傅 never answers
    assert wang.say(f"完成 {order.number} 修好了") == \
        f"单号 {order.number} 当前为“已派单”，不能进行这个操作。"   # chat still needs 接单
    assert RepairOrder.get_by_id(order.id).status == "dispatched"
    clock.advance(hours=5)
    desk(client)
    response = post(client, order, "complete", completed_at="2026-11-26T11:20",
                    arrived_at="2026-11-26T09:40", solution="更换阀芯", materials="阀芯1个",
                    cost="0")
    assert "已记录完工" in page_after(client, response)
    done = RepairOrder.get_by_id(order.id)
    assert (done.arrived_at, done.completed_at, done.materials, done.cost) == (
        datetime(2026, 11, 26, 9, 40), datetime(2026, 11, 26, 11, 20), "阀芯1个", Decimal("0"))
    [event] = completes(order)
    wang_id = User.get(User.openid == wang.openid).id
    assert event.actor_id == wang_id
    assert event.note == "王师傅 完工于 2026-11-26 11:20（到场 2026-11-26 09:40）：更换阀芯（后台：desk）"
    counters = period_counters(month_period(START.date()), clock.now())
    assert (counters.completed, counters.arrived, counters.on_time) == (1, 1, 1)
    assert counters.avg_repair_minutes == 100
    [stats] = engineer_performance(month_period(START.date()))
    assert (stats.engineer_id, stats.completed, stats.on_time) == (wang_id, 1, 1)


def test_someone_else_did_it_and_an_empty_time_means_now(app, client, clock, chat, worker):
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    wang.say("到达")
    clock.advance(minutes=50, seconds=17)
    desk(client)
    post(client, order, "complete", completed_at="", solution="换了龙头", done_by="李师傅（临时）")
    done = RepairOrder.get_by_id(order.id)
    assert done.completed_at == clock.now().replace(second=0, microsecond=0)
    [event] = completes(order)
    assert event.actor_id is None and event.note.startswith("李师傅（临时） 完工于 ")


@pytest.mark.parametrize("form, problems", [
    ({"completed_at": "2026-11-26T12:00"}, ["完工时间不能晚于现在"]),
    ({"completed_at": "2026-11-26T09:00"}, ["完工时间不能早于报修时间"]),
    ({"completed_at": "昨天下午"}, ["时间格式不正确"]),
    ({"cost": "三十五"}, ["费用请填写金额（元），如 35 或 35.50；无偿填 0。"]),
    ({"cost": "-5"}, ["费用请填写金额"]),
    ({"solution": ""}, ["请填写处理结果。"]),
    ({"solution": "修" * 501, "done_by": "人" * 65}, ["处理结果太长了", "维修人太长了"]),
    ({"arrived_at": "2026-11-26T10:50"}, ["到场时间须在报修时间之后、完工时间之前。"]),
])
def test_what_does_not_fit_is_refused_politely_and_the_form_comes_back(
        app, client, clock, chat, worker, form, problems):
    order = vendor_order(client, chat, clock, worker)   # reported at 09:30
    clock.advance(hours=1)                                # now 10:30
    desk(client)
    typed = {"completed_at": "2026-11-26T10:10", "solution": "更换电容", **form}
    page = page_after(client, post(client, order, "complete", **typed))
    for problem in problems:
        assert problem in page
    assert RepairOrder.get_by_id(order.id).status == "dispatched" and not completes(order)
    assert not AuditLog.select().where(AuditLog.action == "order.complete").exists()
    if typed["solution"] and len(typed["solution"]) < 20:
        assert f">{typed['solution']}</textarea>" in page       # typed text is not lost


def test_a_finished_or_suspended_order_has_no_completion_form(app, client, clock, chat, worker):
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    wang.say(f"挂起 {order.number} 等配件")
    desk(client)
    assert "记录完工</button>" not in client.get(f"/admin/orders/{order.id}").get_data(
        as_text=True)
    page = page_after(client, post(client, order, "complete", solution="修好了"))
    assert "工单状态已变化" in page and RepairOrder.get_by_id(order.id).status == "suspended"


def test_a_reporter_without_wechat_is_not_promised_a_notice(app, client, clock, chat, worker):
    order = vendor_order(client, chat, clock, worker)
    desk_user = User.create(openid="desk:13912345678", name="刘老师", phone="13912345678",
                            created_at=START)
    RepairOrder.update(reporter=desk_user).where(RepairOrder.id == order.id).execute()
    desk(client)
    page = page_after(client, post(client, order, "complete", solution="已修好"))
    assert "已记录完工。该报修人无法接收微信通知，如需评价请电话回访。" in page
    assert RepairOrder.get_by_id(order.id).status == "completed"


def test_the_survey_step_is_unchanged_for_a_chat_completion(app, client, clock, chat, worker):
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    wang.say(f"完成 {order.number} 更换阀芯")
    from models.sla_data import awaiting_rating
    [waiting] = awaiting_rating()
    assert waiting.told_at == RepairOrder.get_by_id(order.id).completed_at == clock.now()
    assert isinstance(waiting.told_at, datetime) and timedelta(0) == waiting.told_at - clock.now()
