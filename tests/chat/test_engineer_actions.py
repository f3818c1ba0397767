"""Reject, transfer, suspend, racing accepts and who may act, through the webhook and worker."""
from concurrent.futures import ThreadPoolExecutor

import requests

from models.orders import RepairOrder
from tests.flows import bind, delivered, dispatched_job, give_contact, plumber, report_leak
from tests.wechat_sim import TOKEN
from wechat_bot.cli.chat_client import WechatSigner


def test_reject_needs_a_reason_and_redispatches_to_someone_else(client, chat, clock, worker, sandbox):
    wang = plumber(client, clock)
    li = plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    order = report_leak(chat)
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).engineer.name == "王师傅"  # area match wins
    assert "请说明原因" in wang.say(f"拒单 {order.number}")
    assert "已退回" in wang.say(f"拒单 {order.number} 今天请假")
    worker.run_until_idle()
    again = RepairOrder.get_by_id(order.id)
    assert (again.status, again.engineer.name) == ("dispatched", "李师傅")
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid, li.openid]
    assert "不是派给您的工单" in wang.say(f"接单 {order.number}")


def test_a_reject_with_nobody_else_promises_no_colleague_and_queues(client, chat, clock, worker):
    wang = plumber(client, clock)
    order = report_leak(chat)
    worker.run_until_idle()
    reply = wang.say(f"拒单 {order.number} 今天请假")
    # Whether someone else can take it is only known when the worker dispatches it again.
    assert reply == f"已退回工单 {order.number}，它会重新派单，暂时无人可接时转人工安排。"
    worker.run_until_idle()
    again = RepairOrder.get_by_id(order.id)
    assert (again.status, again.engineer_id, again.queued_at is not None) == ("submitted", None, True)


def test_transfer_tells_the_reporter_and_goes_to_another(client, chat, clock, worker, sandbox):
    wang = plumber(client, clock)
    plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    order = report_leak(chat)
    worker.run_until_idle()
    wang.say("1")
    assert "已转出" in wang.say(f"转单 {order.number} 需要电工证")
    worker.run_until_idle()
    transferred, = delivered(sandbox, "transferred")
    assert transferred["touser"] == chat.openid and transferred["data"]["thing2"]["value"] == "需要电工证"
    assert RepairOrder.get_by_id(order.id).engineer.name == "李师傅"


def test_suspend_and_resume_tell_the_reporter(client, chat, clock, worker, sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    wang.say(f"到达 {order.number}")
    assert "已挂起" in wang.say(f"挂起 {order.number} 等待配件 明天 10:00")
    suspended = RepairOrder.get_by_id(order.id)
    assert suspended.status == "suspended" and suspended.follow_up_at.isoformat() == "2026-11-27T10:00:00"
    assert "已恢复" in wang.say("恢复")
    assert RepairOrder.get_by_id(order.id).status == "arrived"
    worker.run_until_idle()
    notes = [m["data"]["thing3"]["value"] for m in delivered(sandbox, "progress")]
    assert notes[1].startswith("暂停维修：等待配件") and notes[2] == "维修已恢复进行"


def test_racing_accepts_one_wins(client, chat, clock, worker, live_server):
    wang, order = dispatched_job(client, chat, clock, worker)
    signer = WechatSigner(TOKEN)

    def accept(_):
        signed = signer.sign(signer.message_xml(wang.openid, "text", Content=f"接单 {order.number}"),
                             wang.openid)
        body = requests.post(f"{live_server}/wechat?{signed.query}", data=signed.body, timeout=20)
        return signer.read_reply(body.content)["Content"]

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(accept, range(6)))
    assert sum(r.startswith("已接单") for r in replies) == 1
    assert all(r.startswith("已接单") or "不能进行这个操作" in r or "刚刚已被处理" in r
               for r in replies)
    assert [e.trigger for e in RepairOrder.get_by_id(order.id).events].count("accept") == 1


def test_only_engineers_and_only_the_assignee_act(client, chat, clock, worker):
    plumber(client, clock)
    stranger = plumber(client, clock, "o_engineer_zhao_03", "赵师傅", areas="西校区")
    order = report_leak(chat)
    worker.run_until_idle()
    assert "维修人员使用的功能" in chat.say(f"接单 {order.number}")
    assert "不是派给您的工单" in stranger.say(f"完成 {order.number} 修好了")
    assert "没有可以这样处理的工单" in stranger.say("到达")
    assert RepairOrder.get_by_id(order.id).status == "dispatched"


def test_nobody_qualified_waits_in_the_queue_and_the_supervisor_is_told(client, chat, clock, worker, sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", name="张主管", department="工程部")
    order = report_leak(chat)
    worker.run_until_idle()
    queued = RepairOrder.get_by_id(order.id)
    assert queued.status == "submitted" and queued.queued_at is not None
    escalation, = delivered(sandbox, "escalation")
    assert escalation["touser"] == boss.openid and "人工派单" in escalation["data"]["thing2"]["value"]
    worker.run_until_idle()
    assert len(delivered(sandbox, "escalation")) == 1  # queued once, not every round


def test_matters_go_to_the_department_on_duty(client, chat, clock, worker, sandbox):
    guard = bind(client, clock, "o_guard_00000001", "engineer", name="保安老陈", department="秩序部")
    plumber(client, clock)
    chat.say("报事")
    chat.say("1")  # 安全隐患
    chat.say("东校区 图书馆")
    chat.say("消防通道被电动车堵住了")
    chat.say("跳过")
    give_contact(chat)
    chat.say("确认")
    worker.run_until_idle()
    order = RepairOrder.get()
    assert (order.kind, order.engineer.name) == ("matter", "保安老陈")
    assert delivered(sandbox, "new_job")[0]["touser"] == guard.openid


def test_a_device_under_warranty_goes_to_its_vendor(client, chat, clock, worker, sandbox):
    from models.catalogue import Device
    plumber(client, clock)
    order = report_leak(chat)
    RepairOrder.update(device=Device.get(Device.code == "KT-E3-201")).execute()
    worker.run_until_idle()
    routed = RepairOrder.get_by_id(order.id)
    assert (routed.status, routed.engineer, routed.vendor_name) == ("dispatched", None, "格力售后")
    assert "格力售后" in delivered(sandbox, "progress")[0]["data"]["thing3"]["value"]
    assert "4008365315" in routed.events[-1].note
    assert delivered(sandbox, "new_job") == []
