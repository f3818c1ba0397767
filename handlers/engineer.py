"""What an engineer says in chat: 接单, 拒单, 到达, 进度, 完成, 转单, 挂起, 恢复, 我的工单.

Only engineers get these words, and only the engineer an order is assigned to can act on it.
Each action is one lifecycle transition plus the reporter's notice, in one transaction.
"""
from __future__ import annotations

import re

from handlers import job_text, order_refs
from handlers.turn import Turn
from models.database import db
from models.lifecycle import ACCEPTED, ARRIVED, DISPATCHED, OPEN_STATES, SUSPENDED, IllegalTransition
from models.orders import Attachment, RepairOrder, urgent_first
from models.people import ENGINEER
from models.sla_limits import limits_for
from models.workflow import fire

ACTIVE = (DISPATCHED, ACCEPTED, ARRIVED, SUSPENDED)
DONE_SAID = re.compile(r"^(?:修好了|搞定了|弄好了|已修好|修完了|完工了|完工|已修复|修好啦|好了)")


class Refusal(Exception):
    """The engineer's words can't be carried out; the message says why, politely."""


def engineers_only(handler):
    """Politely refuse engineer words from anyone else, and turn refusals into replies."""
    def guarded(turn: Turn) -> str:
        if turn.profile.role != ENGINEER:
            return turn.say("engineer/not_engineer")
        try:
            return handler(turn)
        except Refusal as refusal:
            return str(refusal)
    guarded.__doc__ = handler.__doc__
    return guarded


@engineers_only
def my_jobs(turn: Turn) -> str:
    """我的工单 / ENG_TASKS: open jobs, urgent ones first, then oldest first."""
    jobs = (RepairOrder.select().where(RepairOrder.engineer == turn.profile.id,
                                       RepairOrder.status.in_(OPEN_STATES))
            .order_by(urgent_first(), RepairOrder.dispatched_at, RepairOrder.id).limit(20))
    return turn.say("engineer/my_jobs", jobs=list(jobs))


@engineers_only
def accept(turn: Turn) -> str:
    """接单 [单号] (or just 1): take a dispatched job; the reporter learns who comes when."""
    order, _ = _job(turn, (DISPATCHED,))
    limits = limits_for(order.category.name if order.category_id else None, order.priority,
                        turn.sla)
    expected = job_text.expected_arrival(order.submitted_at, turn.now, limits.arrive_minutes)
    return _act(turn, order, "accept", notice="accepted",
                context={"engineer_name": turn.profile.name, "engineer_phone": turn.profile.phone,
                         "expected_arrival": expected})


def has_dispatched_job(turn: Turn) -> bool:
    """Whether a job waits for this engineer to accept it (收到 / 好的 then means 接单)."""
    return RepairOrder.select().where(RepairOrder.engineer == turn.profile.id,
                                      RepairOrder.status == DISPATCHED).exists()


@engineers_only
def reject(turn: Turn) -> str:
    """拒单 单号 原因: hand a dispatched job back; it goes to someone else."""
    order, reason = _job(turn, (DISPATCHED,))
    _require(turn, reason, "拒单", order)
    return _act(turn, order, "reject", reason, engineer=None)


@engineers_only
def arrive(turn: Turn) -> str:
    """到达 [单号]: on site; the reporter is told."""
    order, _ = _job(turn, (ACCEPTED,))
    return _act(turn, order, "arrive", notice="progress",
                context={"note": turn.say("engineer/arrived_note")})


@engineers_only
def progress(turn: Turn) -> str:
    """进度 单号 说明: a progress note for the reporter."""
    order, note = _job(turn, (ACCEPTED, ARRIVED))
    _require(turn, note, "进度", order)
    return _act(turn, order, "progress", note, "progress", {"note": note})


@engineers_only
def complete(turn: Turn) -> str:
    """完成 单号 说明 [费用 N] [材料 ...]: done; after photos may follow."""
    order, text = _job(turn, (ACCEPTED, ARRIVED))
    solution, cost, materials = job_text.parse_completion(text)
    _require(turn, solution, "完成", order)
    reply = _act(turn, order, "complete", solution, "completed", solution=solution,
                 cost=cost, materials=materials)
    turn.draft = {"flow": "after_photos", "order_id": order.id, "photos": [],
                  "awaiting": "after_photos"}
    return reply


@engineers_only
def complete_said(turn: Turn) -> str:
    """修好了 / 搞定了 [说明]: complete the only job on hand; the words after it are the solution."""
    order = _only_job(turn, (ACCEPTED, ARRIVED))
    said = DONE_SAID.sub("", turn.msg.text.strip(), count=1).strip(" ，,。.!！")
    solution, cost, materials = job_text.parse_completion(said)
    solution = solution or turn.say("engineer/done_default")
    reply = _act(turn, order, "complete", solution, "completed", solution=solution,
                 cost=cost, materials=materials)
    turn.draft = {"flow": "after_photos", "order_id": order.id, "photos": [],
                  "awaiting": "after_photos"}
    return reply


@engineers_only
def transfer(turn: Turn) -> str:
    """转单 单号 原因: give an accepted job back for someone else; the reporter is told."""
    order, reason = _job(turn, (ACCEPTED, ARRIVED))
    _require(turn, reason, "转单", order)
    return _act(turn, order, "transfer", reason, "transferred", {"note": reason}, engineer=None)


@engineers_only
def suspend(turn: Turn) -> str:
    """挂起 单号 原因 [跟进时间]: pause a job (waiting for parts); the reporter is told."""
    order, text = _job(turn, (ACCEPTED, ARRIVED))
    reason, follow_up = job_text.parse_follow_up(text, turn.now)
    _require(turn, reason, "挂起", order)
    note = turn.say("engineer/suspended_note", reason=reason, follow_up=follow_up)
    return _act(turn, order, "suspend", note, "progress", {"note": note}, follow_up_at=follow_up)


@engineers_only
def resume(turn: Turn) -> str:
    """恢复 [单号]: pick a suspended job up again."""
    order, _ = _job(turn, (SUSPENDED,))
    return _act(turn, order, "resume", "", "progress",
                {"note": turn.say("engineer/resumed_note")}, follow_up_at=None)


def _job(turn: Turn, states: tuple[str, ...]) -> tuple[RepairOrder, str]:
    """The order an engineer means (by its number, loosely typed, or its last digits; else
    their only job in `states`) and the rest of the text."""
    jobs, ref = order_refs.engineer_jobs(turn, order_refs.args_of(turn))
    mine = [job for job in jobs if job.engineer_id == turn.profile.id]
    if ref.typed and len(mine) != 1:
        if len(mine) > 1:  # last digits two of their jobs share
            raise Refusal(turn.say("engineer/which_job", count=len(mine)))
        raise Refusal(turn.say("engineer/not_yours", number=ref.typed))
    order = mine[0] if ref.typed else _only_job(turn, states)
    if order.status not in states:
        raise Refusal(turn.say("engineer/wrong_state", order=order))
    return order, ref.rest


def _only_job(turn: Turn, states: tuple[str, ...]) -> RepairOrder:
    """Without a number: the one job in `states`; for 接单, the newest dispatched one."""
    jobs = list(RepairOrder.select().where(RepairOrder.engineer == turn.profile.id,
                                           RepairOrder.status.in_(states))
                .order_by(RepairOrder.dispatched_at.desc(), RepairOrder.id.desc()).limit(2))
    newest_is_fine = states == (DISPATCHED,)
    if not jobs or (len(jobs) > 1 and not newest_is_fine):
        raise Refusal(turn.say("engineer/which_job", count=len(jobs)))
    return jobs[0]


def _require(turn: Turn, text: str, word: str, order: RepairOrder) -> None:
    """Reasons and notes are not optional for some words."""
    if not text:
        raise Refusal(turn.say("engineer/reason_needed", word=word, number=order.number))


def _act(turn: Turn, order: RepairOrder, trigger: str, note: str = "", notice: str = "",
         context: dict | None = None, **changes) -> str:
    """Fire the transition as this engineer and queue the reporter's notice, atomically."""
    try:
        with db.atomic():
            fire(order, trigger, turn.profile.id, turn.now, note=note,
                 only_engineer=turn.profile.id, **changes)
            if notice:
                turn.notify(notice, order.reporter, order, **(context or {}))
    except IllegalTransition:  # someone else moved the order first
        raise Refusal(turn.say("engineer/lost_race", order=RepairOrder.get_by_id(order.id)))
    if trigger in ("reject", "transfer"):
        turn.wake_worker = True  # re-dispatch it now
    return turn.say(f"engineer/done_{trigger}", order=order)


def after_photo(turn: Turn) -> str:
    """After 完成: a photo of the finished work attaches to the order."""
    attachment = Attachment.create(order=turn.draft["order_id"], uploader=turn.profile.id,
                                   media_id=turn.msg.media_id, pic_url=turn.msg.pic_url,
                                   stage="after", created_at=turn.now)
    turn.draft["photos"].append(attachment.id)
    turn.wake_worker = True
    return turn.say("engineer/after_photo_received", count=len(turn.draft["photos"]))


def end_after_photos(turn: Turn) -> str:
    """完成 / 跳过 after the after-photos: close the window."""
    count, turn.draft = len(turn.draft["photos"]), None
    return turn.say("engineer/after_photos_done", count=count)
