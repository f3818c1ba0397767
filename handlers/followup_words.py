"""Follow-ups said in everyday words: 催一下 / 怎么还没人来, 进度咋样了 / 我那个单子呢, 评个分 5星 /
给个好评, 不修了取消吧, 上回修的水管又漏了 — the same actions as 催单, 查询, 评价, 取消 and 返修,
on the order the words mean (a number in them, else the only one that fits, else a choice).
"""
from __future__ import annotations

import re

from handlers import my_orders, order_refs, pick_order
from handlers.order_refs import CANCEL, RATE, REOPEN, SHOW, URGE
from handlers.turn import Turn
from models.orders import RepairOrder

# The last digits of an order inside the words (查下0002到哪了), never a phone's eleven.
DIGITS = re.compile(r"(?<!\d)(\d{4,8})(?!\d)")
STARS = re.compile(r"([1-5一二三四五])\s*(?:星|颗星|分)")
SPOKEN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
GOOD, BAD = re.compile(r"好评|满分|五星|很满意|非常满意"), re.compile(r"差评|不满意|很差|太差")


def _number(turn: Turn) -> str:
    found = DIGITS.search(turn.msg.text)
    return found.group(1) if found else ""


def urge(turn: Turn) -> str:
    """催一下, 怎么还没人来: 催单 on the order meant."""
    return pick_order.resolve(turn, URGE, _number(turn))


def show(turn: Turn) -> str:
    """进度咋样了, 我那个单子呢: 查询 the order meant; with several open and none named, the list."""
    number = _number(turn)
    if not number and len(order_refs.candidates(turn.profile.id, URGE, turn.now)) > 1:
        return my_orders.list_recent(turn)   # 我的报修: every open order with its status
    return pick_order.resolve(turn, SHOW, number)


def cancel(turn: Turn) -> str:
    """不修了取消吧 (no report being filled in): 取消 the order meant."""
    return pick_order.resolve(turn, CANCEL, _number(turn))


def reopen(turn: Turn) -> str:
    """上回修的又漏了 / 返修一下: 返修 the order meant, the words as its note."""
    return pick_order.resolve(turn, REOPEN, f"{_number(turn)} {turn.msg.text}".strip())


def rate(turn: Turn) -> str:
    """评个分 5星 / 给个好评: 评价 with the score the words give (好评 5, 差评 1), or asked for."""
    return pick_order.resolve(turn, RATE, f"{_number(turn)} {score_in(turn.msg.text)}".strip())


def score_in(text: str) -> str:
    """`5 words` from 5星, 五颗星, 好评 (5) or 差评 (1); '' when the words give no score."""
    stars = STARS.search(text)
    if stars:
        value = stars.group(1)
        score = SPOKEN.get(value) or int(value)
    elif BAD.search(text):
        score = 1
    elif GOOD.search(text):
        score = 5
    else:
        return ""
    return f"{score} {text.strip()}"


def reopenable(turn: Turn) -> bool:
    """Whether an order completed in the last seven days could be reopened (又漏了 means it)."""
    return bool(order_refs.candidates(turn.profile.id, REOPEN, turn.now))


def has_orders(turn: Turn) -> bool:
    """Whether the user has reported anything (进度 means nothing without an order)."""
    return RepairOrder.select().where(RepairOrder.reporter == turn.profile.id).exists()
