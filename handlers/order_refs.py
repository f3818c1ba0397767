"""Which order a message means: an order number however it is typed, the last digits of one of
the user's recent orders, or, without a number, the only order that fits the action (else the
candidates as numbered choices, answered by the next message: handlers/pick_order.py).

`BX202611290015`, `bx 2026 1129 0015`, `202611290015`, `查询BX…` and `查询 0015` all name the
same order; nobody types a 14-character number on a phone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Optional

from handlers.turn import Turn
from models.lifecycle import COMPLETED, OPEN_STATES, RATED, REOPEN_WINDOW, UNACCEPTED_STATES
from models.orders import RepairOrder

PREFIX = "BX"
# BX (or nothing), the date and the day's sequence, with spaces between the parts as people
# group them: BX202611290015, bx 2026 1129 0015, 2026 11 29 0015, 202611290015. The sequence
# takes no space inside, so `评价 BX202611290015 5` keeps its score.
WHOLE = re.compile(r"(?<![a-z\d])(?:bx[\s:：#-]*)?"
                   r"(20\d\d)\s*([01]\d)\s*([0-3]\d)\s*(\d{4,})(?!\d)", re.IGNORECASE)
# What a mistyped number still looks like (BX and the rest of the word, up to a space or a
# comma), to show it back as typed.
MISTYPED = re.compile(r"(?<![a-z])bx[^\s,，。;；:：]*", re.IGNORECASE)
# The last digits of an order, as the first word: `查询 0015`, `评价 0015 5`.
TAIL = re.compile(r"^(\d{4,8})(?=\s|$)")
RECENT = 20                       # a reporter's orders a tail is looked for among
CHOICES = 5                       # candidates listed; older ones need their number
RATE_WINDOW = timedelta(days=7)   # a score without a number reaches this far back
# The words that take an order number, glued to it or not (查询BX…, 催单0015).
COMMAND_WORD = re.compile(r"^(取消报修|查询|取消|催单|评价|返修|接单|拒单|到达|进度|完成|转单|挂起|恢复)")
SHOW, CANCEL, URGE, RATE, REOPEN = "show", "cancel", "urge", "rate", "reopen"


@dataclass(frozen=True)
class Ref:
    """What a text says about an order: a whole number, or its last digits, and the rest."""
    number: str = ""    # BX + digits, when whole
    tail: str = ""      # the last digits of one of the user's orders
    typed: str = ""     # what looked like a number, as shown back when it is not found
    rest: str = ""      # the text without the number (a score, a reason, a note)


@dataclass
class Found:
    """The order a message means, or the candidates to choose from, or what was not found."""
    order: Optional[RepairOrder] = None
    choices: list = field(default_factory=list)
    typed: str = ""     # a number was given and matched none of the user's orders
    rest: str = ""


def read(text: str) -> Ref:
    """The order number in `text` (anywhere), or its last digits (as the first word)."""
    text = (text or "").strip()
    whole = WHOLE.search(text)
    if whole:
        number = PREFIX + "".join(whole.groups())
        return Ref(number=number, typed=number, rest=_without(text, whole))
    mistyped = MISTYPED.search(text)
    if mistyped:
        return Ref(typed=mistyped.group().upper(), rest=_without(text, mistyped))
    tail = TAIL.match(text)
    if tail:
        return Ref(tail=tail.group(1), typed=tail.group(1), rest=text[tail.end():].strip())
    return Ref(rest=text)


def whole_number(text: str) -> str:
    """`BX…` when the text is an order number and nothing else (any case, spaces, no BX)."""
    ref = read(text)
    return ref.number if ref.number and not ref.rest else ""


def args_of(turn: Turn) -> str:
    """The text after the command word, glued to it or not (`查询BX…` → `BX…`)."""
    text = turn.msg.text.strip()
    word = COMMAND_WORD.match(text)
    return text[word.end():].strip() if word else turn.args


def find(turn: Turn, action: str, text: str) -> Found:
    """The reporter's order `text` names, else the only one that fits `action`, else choices."""
    ref = read(text)
    user = turn.profile.id
    if ref.number:
        order = RepairOrder.owned_by(user, ref.number)
        return Found(order=order, typed="" if order else ref.typed, rest=ref.rest)
    if ref.tail:
        matches = [o for o in RepairOrder.recent_for(user, RECENT) if o.number.endswith(ref.tail)]
        return _one_or_choices(matches, ref, typed=ref.typed)
    if ref.typed:   # BX and something that is no number
        return Found(typed=ref.typed, rest=ref.rest)
    return _one_or_choices(candidates(user, action, turn.now), ref)


def candidates(user_id: int, action: str, now: datetime) -> list[RepairOrder]:
    """The user's orders `action` may apply to, the likeliest first (at most CHOICES + 1)."""
    if action == SHOW:
        return RepairOrder.recent_for(user_id, 1)
    orders = RepairOrder.select().where(RepairOrder.reporter == user_id)
    if action in (RATE, REOPEN):
        states, since = ((COMPLETED,), now - RATE_WINDOW) if action == RATE else \
            ((COMPLETED, RATED), now - REOPEN_WINDOW)
        return list(orders.where(RepairOrder.status.in_(states), RepairOrder.completed_at >= since)
                    .order_by(RepairOrder.completed_at.desc(), RepairOrder.id.desc())
                    .limit(CHOICES + 1))
    states = UNACCEPTED_STATES if action == CANCEL else OPEN_STATES
    return list(orders.where(RepairOrder.status.in_(states))
                .order_by(RepairOrder.submitted_at.desc(), RepairOrder.id.desc())
                .limit(CHOICES + 1))


def engineer_jobs(turn: Turn, text: str) -> tuple[list[RepairOrder], Ref]:
    """For an engineer: the orders `text` names, and what was read.

    A whole number: that order, whoever has it (the caller checks it is theirs). Last digits:
    those of the engineer's open jobs that end so. No number: none.
    """
    ref = read(text)
    if ref.number:
        return list(RepairOrder.select().where(RepairOrder.number == ref.number)), ref
    if ref.tail:
        jobs = RepairOrder.select().where(RepairOrder.engineer == turn.profile.id,
                                          RepairOrder.status.in_(OPEN_STATES))
        return [job for job in jobs if job.number.endswith(ref.tail)], ref
    return [], ref


def _without(text: str, found: re.Match) -> str:
    """The text with the match taken out, spaces tidied."""
    return " ".join((text[:found.start()] + " " + text[found.end():]).split())


def _one_or_choices(orders: list, ref: Ref, typed: str = "") -> Found:
    if len(orders) == 1:
        return Found(order=orders[0], rest=ref.rest)
    if orders:
        return Found(choices=orders, rest=ref.rest)
    return Found(typed=typed, rest=ref.rest)
