"""Whether a person got what they came for, read from the database and the replies."""
from __future__ import annotations

from typing import Optional

from models.lifecycle import CANCELLED
from models.orders import OrderEvent, RepairOrder
from tests.personas import ear
from tests.personas.people import (ACCEPT, ARRIVE, CANCEL, CHAT, COMPLETE, QUERY, QUIT, RATE,
                                   REOPEN, REPORT, STATS, URGE, Person)
from tests.personas.world import ENGINEER_ID, SUPERVISOR_ID

GOAL_NAMES = {REPORT: "提交报修", QUIT: "放弃填写", CHAT: "闲聊得到回应", URGE: "催单",
              RATE: "评价", CANCEL: "取消报修", QUERY: "查到进度", REOPEN: "返修",
              ACCEPT: "接单", ARRIVE: "记录到达", COMPLETE: "记录完工", STATS: "看到统计"}
TELL_NAMES = {"wait_time": "多久能来", "charge": "收不收费", "desk_phone": "服务电话",
              "human": "人工服务", "safety": "安全提示", "emergency_phone": "紧急电话",
              "greeting": "问候", "here": "“在”", "thanks": "不客气", "report": "统计数字",
              "month": "本月", "overdue": "超时工单", "status": "工单状态",
              "target": "那张工单的单号"}
# A follow-up's goal: the change to the order the person is talking about.
ORDER_CHANGED = {
    URGE: lambda o: o.urged_at is not None,
    RATE: lambda o: o.rating is not None,
    CANCEL: lambda o: o.status == CANCELLED,
    REOPEN: lambda o: OrderEvent.select().where(OrderEvent.order == o,
                                                OrderEvent.trigger == "reopen").exists(),
    ACCEPT: lambda o: o.accepted_at is not None,
    ARRIVE: lambda o: o.arrived_at is not None,
    COMPLETE: lambda o: o.completed_at is not None,
}


def reached(person: Person, played, target: Optional[RepairOrder], moves_left: list) -> bool:
    """Whether the person's goal is reached now."""
    goal = person.goal
    if goal == REPORT:
        return bool(played.orders)
    if goal == QUIT:
        return not moves_left
    if goal in ORDER_CHANGED:
        return ORDER_CHANGED[goal](RepairOrder.get_by_id(target.id))
    if goal == QUERY:
        return any(target.number in e.reply and ear.tells(e.reply, "status")
                   and not e.fallback for e in played.exchanges)
    said_all = played.messages >= len(person.opening)
    return said_all and played.exchanges[-1].asked is None   # CHAT, STATS


def problems(played, reached_goal: bool, unsaid: list) -> list[str]:
    """Why the person's goal was not (fully) reached; empty when it was."""
    person = played.person
    found = [] if reached_goal else [f"没有{GOAL_NAMES[person.goal]}"]
    found += [f"没机会说“{move.say}”" for move in unsaid if person.goal != QUIT]
    if person.goal == REPORT:
        if len(played.orders) > 1:
            found.append(f"存了 {len(played.orders)} 张报修")
        if person.facts.emergency and played.orders:
            found += emergency_problems(played)
    elif played.orders:
        found.append("多存了一张报修")
    if person.goal in ORDER_CHANGED:
        found += [f"动了另一张工单 {o.number}" for i, o in enumerate(played.priors)
                  if i != person.target and not ORDER_CHANGED[person.goal](o)
                  and ORDER_CHANGED[person.goal](RepairOrder.get_by_id(o.id))]
    if person.goal == QUIT and played.exchanges:
        last = played.exchanges[-1]
        if last.fallback or last.asked is not None:
            found.append("说了不修之后还在问下一步")
    return found


def emergency_problems(played) -> list[str]:
    """An emergency: safety advice and the emergency phone at once, no photo question, the
    engineer and a supervisor told."""
    found, person = [], played.person
    replies = [e.reply for e in played.exchanges]
    if not any(ear.tells(r, "safety") for r in replies):
        found.append("没有安全提示")
    if not any(ear.tells(r, "emergency_phone", person.facts.phone) for r in replies):
        found.append("没有紧急电话")
    if any(e.asked and e.asked.kind == "photos" for e in played.exchanges):
        found.append("紧急情况还问照片")
    number = played.orders[0].number
    told = {m["touser"] for m in played.delivered
            if any(number in str(item.get("value", "")) for item in m["data"].values())}
    if ENGINEER_ID not in told:
        found.append("维修人员没有收到通知")
    if SUPERVISOR_ID not in told:
        found.append("主管没有收到通知")
    return found
