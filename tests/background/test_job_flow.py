"""An order from report to rating through the webhook, the real worker and the emulator."""
from decimal import Decimal

from models.orders import RepairOrder
from tests.flows import delivered, plumber, report_leak
from wechat_bot.wechat_api.template_rules import violations


def values(message: dict) -> dict:
    return {key: item["value"] for key, item in message["data"].items()}


def test_report_to_rating_notifies_everyone_within_the_rules(client, chat, clock, worker, sandbox):
    engineer = plumber(client, clock)
    order = report_leak(chat)
    worker.run_until_idle()

    received, = delivered(sandbox, "order_received")
    assert received["touser"] == chat.openid and values(received)["character_string1"] == order.number
    job, = delivered(sandbox, "new_job")
    assert job["touser"] == engineer.openid and "东校区 3号楼 201" in values(job)["thing2"]
    assert RepairOrder.get_by_id(order.id).status == "dispatched"

    clock.advance(minutes=2)
    assert "已接单" in engineer.say("1")
    worker.run_until_idle()
    accepted, = delivered(sandbox, "accepted")
    assert accepted["touser"] == chat.openid
    assert values(accepted)["name2"] == "王师傅" and values(accepted)["time4"] == "2026-11-26 09:45"  # 15 minutes from the report

    clock.advance(minutes=10)
    assert "已记录到达" in engineer.say(f"到达 {order.number}")
    assert "已记录进度" in engineer.say(f"进度 {order.number} 阀芯老化，正在更换")
    assert "已完工" in engineer.say(f"完成 {order.number} 更换阀芯 费用 35 材料 阀芯1个")
    worker.run_until_idle()
    progress = [values(m)["thing3"] for m in delivered(sandbox, "progress")]
    assert progress == ["维修人员已到达现场", "阀芯老化，正在更换"]
    completed, = delivered(sandbox, "completed")
    assert values(completed)["thing2"] == "更换阀芯"

    assert f"感谢您对 {order.number} 的评价（5 分）" in chat.say(f"评价 {order.number} 5 修得很快")
    done = RepairOrder.get_by_id(order.id)
    assert (done.status, done.rating, done.feedback, done.cost, done.materials) == (
        "rated", 5, "修得很快", Decimal("35.00"), "阀芯1个")
    assert [e.trigger for e in done.events] == [
        "submit", "dispatch", "accept", "arrive", "progress", "complete", "rate"]
    for message in sandbox.state.delivered_templates():
        assert violations(message["data"]) == []
