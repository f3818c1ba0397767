"""Shared steps for end-to-end tests: staff with roles, and a reporter's finished report."""
from __future__ import annotations

from models.invites import create_invite
from models.orders import RepairOrder
from tests.wechat_sim import Chat


def bind(client, clock, openid: str, role: str, **invite) -> Chat:
    """A WeChat user who has bound `role` with an invite code."""
    chat = Chat(client, openid)
    code = create_invite(role, clock.now(), 7, **invite).code
    assert "绑定成功" in chat.say(f"绑定 {code}")
    return chat


def plumber(client, clock, openid="o_engineer_wang_01", name="王师傅", areas="东校区 3号楼"):
    return bind(client, clock, openid, "engineer", name=name, phone="13700000001",
                skills="水电", areas=areas, department="工程部")


def give_contact(chat, phone="13800138000", name="王同学", unit="计算机学院") -> str:
    """A first-time reporter's phone and name (one message), then their unit; the summary."""
    chat.say(f"{phone} {name}")
    return chat.say(unit)


def report_leak(chat, where="3号楼201") -> RepairOrder:
    """The reporter reports a leaking tap from start to 确认; the stored order."""
    chat.say("报修")
    chat.say("卫生间水龙头一直滴水")
    if "请核对" not in chat.say(where):  # a returning reporter is not asked again
        give_contact(chat)
    assert "提交成功" in chat.say("确认")
    return RepairOrder.select().order_by(RepairOrder.id.desc()).get()


def dispatched_job(client, chat, clock, worker):
    """A leaking tap reported and dispatched by the worker to 王师傅; (王师傅's chat, the order)."""
    wang = plumber(client, clock)
    order = report_leak(chat)
    worker.run_until_idle()
    return wang, order


def finished_job(client, chat, clock, worker, arrive: bool = False):
    """A leaking tap reported, dispatched to 王师傅, accepted (arrived) and completed.

    Returns (王师傅's chat, the order as stored now).
    """
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    if arrive:
        wang.say("到达")
    wang.say(f"完成 {order.number} 更换阀芯")
    return wang, RepairOrder.get_by_id(order.id)


def delivered(sandbox, kind: str) -> list[dict]:
    """Template messages of one kind the emulator delivered, oldest first."""
    return [t for t in sandbox.state.delivered_templates() if t["template_id"] == f"TPL_{kind.upper()}"]
