"""Claims against effects: every reply a simulated person read and every timeline note that
says something was done must have that done in the database or the outbox.

A reply naming an action (已接单, 已完工, 已取消 …) needs that action's event at that moment;
“已提醒” (催单) needs a notice to a person; “改派” needs the order's next dispatch to go to
another engineer; an escalation note needs somebody told; a dispatch note, the new-job notice.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Iterator, Optional

from models.lifecycle import OPEN_STATES
from models.orders import OrderEvent, RepairOrder
from wechat_bot.cli.simulation.invariants import Breach, Facts
from wechat_bot.cli.simulation.wire import NUMBER, number_in

# What a reply says was done (and on which order; without one, the order the person meant)
# → the trigger whose event must exist at that moment.
N = NUMBER.pattern
DONE = tuple((re.compile(pattern), trigger) for pattern, trigger in (
    (f"提交成功.*?({N})", "submit"), (f"已取消报修 ({N})", "cancel"), (f"已接单 ({N})", "accept"),
    (f"已记录到达 ({N})", "arrive"), (f"已完工 ({N})", "complete"),
    (f"已退回工单 ({N})", "reject"), (f"已转出工单 ({N})", "transfer"),
    (f"已挂起 ({N})", "suspend"), (f"已恢复 ({N})", "resume"), ("感谢您的评价()", "rate"),
    ("^notice: 已记录完工()", "complete"), ("^notice: 已派单()", "dispatch")))  # the desk's forms
URGED = re.compile(r"已提醒")               # 催单: somebody on the staff side was reminded
NOTIFIED = re.compile(r"通知报修人")          # the reporter was sent a notice with the action
REDISPATCHED = "改派"
GRACE = timedelta(minutes=2)


def replies(facts: Facts, journal) -> Iterator[Breach]:
    """Each reply read against the database and the outbox."""
    for said in journal.said:
        yield from _actions(facts, said)
        yield from _notices(facts, said)


def _actions(facts: Facts, said) -> Iterator[Breach]:
    """A reply saying an action was done: its event, by that person, at that moment."""
    for pattern, trigger in DONE:
        found = pattern.search(said.reply)
        order = facts.by_number.get(found.group(1) or said.order) if found else None
        if order is None:
            continue
        event = _event_at(facts, order, trigger, said.at, facts.by_openid.get(said.who))
        if event is None:
            yield _claim(order, said.at, said.reply, f"but there is no {trigger} event")
        elif REDISPATCHED in said.reply:
            yield from _redispatched(facts, order, event, said.reply)


def _notices(facts: Facts, said) -> Iterator[Breach]:
    """A reply saying somebody was reminded or told: a notice queued at that moment."""
    order = facts.by_number.get(number_in(said.reply) or said.order)
    if order is None:
        return
    if URGED.search(said.reply) and not _told_at(facts, order, said.at):
        yield _claim(order, said.at, said.reply, "but nobody was sent anything")
    if NOTIFIED.search(said.reply) and not _told_at(facts, order, said.at, anyone=True):
        yield _claim(order, said.at, said.reply, "but no notice was queued")


def timeline(facts: Facts) -> Iterator[Breach]:
    """Each timeline note read against the outbox and what happened next."""
    for order in facts.orders:
        for event in facts.events[order.id]:
            note = event.note or ""
            claims_told = event.trigger == "escalate" or (
                event.trigger == "urgent" and note.startswith("已通知"))
            if claims_told and not _told_at(facts, order, event.created_at):
                yield _claim(order, event.created_at, note, "but nobody was told", "timeline")
            elif event.trigger == "dispatch" and not _to_vendor(order, note) \
                    and not _new_job_at(facts, order, event.created_at):
                yield _claim(order, event.created_at, note, "but no engineer was sent the job",
                             "timeline")
            if REDISPATCHED in note and event.trigger != "dispatch":
                yield from _redispatched(facts, order, event, note, "timeline")


def _redispatched(facts: Facts, order: RepairOrder, claim: OrderEvent, text: str,
                  where: str = "reply") -> Iterator[Breach]:
    """After `claim`, the order's next dispatch goes to another engineer."""
    before = _engineer_before(facts, order, claim)
    later = [e for e in facts.events[order.id] if e.id > claim.id
             and e.trigger in ("dispatch", "queue", "cancel")]
    if not later:
        if order.status in OPEN_STATES and facts.now - claim.created_at > GRACE:
            where_now = "waits in the queue" if order.queued_at else "was never dispatched again"
            yield _claim(order, claim.created_at, text, f"but the order {where_now}", where)
    elif later[0].trigger == "queue":
        yield _claim(order, claim.created_at, text, "but the order went to the queue", where)
    elif later[0].trigger == "dispatch":
        after = _new_job_at(facts, order, later[0].created_at)
        if after is not None and after.recipient_id == before:
            yield _claim(order, claim.created_at, text,
                         f"but it went back to {facts.name(before)}", where)


def _to_vendor(order: RepairOrder, note: str) -> bool:
    return bool(order.vendor_name) and order.vendor_name in note


def _event_at(facts: Facts, order: RepairOrder, trigger: str, at: datetime, by=None):
    """The `trigger` event at `at` (by that WeChat user, when the claim came from one)."""
    return next((e for e in facts.events[order.id] if e.trigger == trigger
                 and e.created_at == at and (by is None or e.actor_id == by.id)), None)


def _told_at(facts: Facts, order: RepairOrder, at: datetime, anyone: bool = False) -> bool:
    notices = facts.notices[order.id] if anyone else facts.staff_notices(order)
    return any(n.created_at == at for n in notices)


def _new_job_at(facts: Facts, order: RepairOrder, at: datetime):
    return next((n for n in facts.notices[order.id]
                 if n.kind == "new_job" and n.created_at == at), None)


def _engineer_before(facts: Facts, order: RepairOrder, claim: OrderEvent) -> Optional[int]:
    """Who had the order before `claim`: the one sent the job at the dispatch before it."""
    dispatches = [e for e in facts.events[order.id] if e.trigger == "dispatch" and e.id < claim.id]
    job = _new_job_at(facts, order, dispatches[-1].created_at) if dispatches else None
    return job.recipient_id if job else None


def _claim(order: RepairOrder, at: datetime, text: str, problem: str,
           where: str = "reply") -> Breach:
    said = text.split("\n")[0][:60]
    return Breach("claims", order.number, f"{where} at {at:%m-%d %H:%M} says “{said}” {problem}")
