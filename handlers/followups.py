"""A reporter's follow-ups on their own order: 评价 (rate), 催单 (urge), 返修 (reopen).

A bare score (`5`, `4 还行`, `5分很满意`) rates the reporter's newest order completed in the
last 7 days and not rated yet: nobody types a 14-digit number on a phone. The words take a
number typed loosely, or none: then the only order that fits, else a numbered choice
(handlers/order_refs.py, handlers/pick_order.py).
"""
from __future__ import annotations

import logging
import math
import re
from datetime import timedelta
from typing import Optional

from handlers import pick_order
from handlers.order_refs import RATE, RATE_WINDOW, REOPEN, URGE, args_of
from handlers.pick_order import acts
from handlers.turn import Turn
from models.contacts import chain, tell_first
from models.database import db
from models.lifecycle import COMPLETED, OPEN_STATES, IllegalTransition, can_fire
from models.orders import RepairOrder
from models.people import ENGINEER, User
from models.shifts import plan_from_config
from models.workflow import fire

log = logging.getLogger(__name__)
URGE_INTERVAL = timedelta(minutes=30)
LOW_SCORE = 2  # this or lower: the front desk calls the reporter back
SCORE_FLOW = "score_for"   # a draft: the order 评价 asked a score for, waiting for the next message
# A score, then the end, a separator or 分/星, then any words: `5`, `4 还行`, `5分很满意`, but
# never `3号楼201 漏水`, which is somebody reporting without the word 报修.
SCORE = re.compile(r"^([1-5])(?:\s*[分星][\s，,。！!]*|[\s，,。！!]+|$)(.*)$", re.S)


def rate(turn: Turn) -> str:
    """评价 [单号] [分数(1-5) [意见]]: without a number the order to rate; no score: ask."""
    return pick_order.resolve(turn, RATE, args_of(turn))


@acts(RATE)
def rate_order(turn: Turn, order: RepairOrder, rest: str) -> str:
    """Rate one completed order with the score in `rest`, or ask for the score."""
    if order.status != COMPLETED:
        return turn.say("followups/cannot_rate", order=order)
    found = SCORE.match(rest)
    if not found:   # the next bare score rates this order (not the newest one)
        turn.draft = {"flow": SCORE_FLOW, "number": order.number,
                      **({"resume": turn.draft} if turn.draft else {})}
        return turn.say("followups/ask_score", order=order, by_number=False)
    return _rate(turn, order, found)


def rate_by_score(turn: Turn) -> str:
    """A bare 1-5 (and words) outside a draft: rate the order just asked about, else the
    newest completed, unrated order."""
    waiting = turn.draft if turn.draft and turn.draft.get("flow") == SCORE_FLOW else None
    if waiting is not None:
        turn.draft = waiting.get("resume")
        order = RepairOrder.owned_by(turn.profile.id, waiting["number"])
    else:
        order = _to_rate(turn)
    if order is None:
        return turn.say("followups/nothing_to_rate")
    return _rate(turn, order, SCORE.match(turn.msg.text.strip()))


def _to_rate(turn: Turn):
    return RepairOrder.newest_to_rate(turn.profile.id, turn.now - RATE_WINDOW)


def _rate(turn: Turn, order: RepairOrder, found: re.Match) -> str:
    """Rate a completed order with the matched score and words; a low score flags a call-back."""
    score, feedback = int(found.group(1)), found.group(2).strip()[:500]
    try:
        fire(order, "rate", turn.profile.id, turn.now, note=f"{score}分 {feedback}".strip(),
             rating=score, feedback=feedback, callback_needed=score <= LOW_SCORE)
    except IllegalTransition:
        return turn.say("followups/cannot_rate", order=RepairOrder.get_by_id(order.id))
    return turn.say("followups/rated", order=order, score=score, low=score <= LOW_SCORE)


def urge(turn: Turn) -> str:
    """催单 [单号]: remind whoever has the order (else those above it), at most every 30 minutes."""
    return pick_order.resolve(turn, URGE, args_of(turn))


@acts(URGE)
def urge_order(turn: Turn, order: RepairOrder, rest: str = "") -> str:
    """Remind whoever has this open order, unless it was urged less than 30 minutes ago."""
    if order.status not in OPEN_STATES:
        return turn.say("followups/cannot_urge", order=order)
    if order.urged_at and turn.now - order.urged_at < URGE_INTERVAL:
        wait = URGE_INTERVAL - (turn.now - order.urged_at)
        return turn.say("followups/urge_too_soon", minutes=math.ceil(wait.total_seconds() / 60))
    with db.atomic() as transaction:
        claimed = RepairOrder.update(urged_at=turn.now).where(
            RepairOrder.id == order.id,
            (RepairOrder.urged_at.is_null()) | (RepairOrder.urged_at == order.urged_at)).execute()
        if not claimed:  # urged by another request a moment ago
            return turn.say("followups/urge_too_soon", minutes=URGE_INTERVAL.seconds // 60)
        told = _notify_urge(turn, order)
        if told is None:
            transaction.rollback()  # nothing was sent: a later 催单 must not be refused as too soon
    if told is None:
        log.error("order %s urged and nobody could be reminded", order.number)
    return turn.say("followups/urged", order=order, told=told, service_phone=turn.service_phone)


def reopen(turn: Turn) -> str:
    """返修 [单号] [说明]: the fault is back within 7 days of completion; dispatch again."""
    return pick_order.resolve(turn, REOPEN, args_of(turn))


@acts(REOPEN)
def reopen_order(turn: Turn, order: RepairOrder, note: str = "") -> str:
    """Reopen one completed order (within 7 days) with the reporter's note; the worker
    dispatches it again."""
    if not can_fire(order, "reopen", turn.now):
        return turn.say("followups/cannot_reopen", order=order)
    try:
        fire(order, "reopen", turn.profile.id, turn.now, note=note, engineer=None, queued_at=None)
    except IllegalTransition:
        return turn.say("followups/cannot_reopen", order=RepairOrder.get_by_id(order.id))
    turn.wake_worker = True
    return turn.say("followups/reopened", order=order)


def _notify_urge(turn: Turn, order: RepairOrder) -> Optional[str]:
    """The engineer's urge notice, else an escalation up models/contacts.py's chain; who got it."""
    shift = plan_from_config(turn.shifts).on_duty(turn.now)
    note = turn.say("followups/urge_note", order=order)

    def send(link: str, user: User):
        if link == ENGINEER:
            return turn.notify("urge", user, order)
        return turn.notify("escalation", user, order, note=note)
    return tell_first(chain(order, shift.name if shift else None), send)
