"""Acting on the order a message means (handlers/order_refs.py), or offering the candidates
as numbered choices and taking the next message's number as the choice.

While a choice is open it waits in the draft (`{"flow": "pick_order", "action", "numbers",
"rest"}`, the draft before it kept under "resume") and wins over everything else, a bare 1–5
(which otherwise rates) too; any other message drops it and is handled as usual.
"""
from __future__ import annotations

from typing import Callable, Optional

from handlers import order_refs
from handlers.turn import Turn
from models.orders import RepairOrder

FLOW = "pick_order"
# Said to an open choice, these drop only the choice (a report waiting under it stays).
NEVER_MIND = {"取消", "算了", "不用了", "不选了"}
Act = Callable[[Turn, RepairOrder, str], str]
ACTS: dict[str, Act] = {}     # action → what it does to one order (registered by @acts)


def acts(action: str):
    """Register the function that carries out `action` on one order with the rest of the text."""
    def register(function: Act) -> Act:
        ACTS[action] = function
        return function
    return register


def resolve(turn: Turn, action: str, text: str) -> str:
    """Carry out `action` on the order `text` means; list choices; or say none was found."""
    found = order_refs.find(turn, action, text)
    if found.order is not None:
        return ACTS[action](turn, found.order, found.rest)
    if found.choices:
        return offer(turn, action, found.choices, found.rest)
    if found.typed:
        return turn.say("orders/not_found", number=found.typed)
    return turn.say("orders/nothing_fits", action=action)


def offer(turn: Turn, action: str, orders: list, rest: str) -> str:
    """List the candidates (newest first) and keep the choice open for the next message."""
    shown = orders[:order_refs.CHOICES]
    turn.draft = {"flow": FLOW, "action": action, "numbers": [o.number for o in shown],
                  "rest": rest, **({"resume": turn.draft} if turn.draft else {})}
    return turn.say("orders/pick", action=action, orders=shown,
                    more=len(orders) > len(shown))


def route(turn: Turn) -> Optional[Callable[[Turn], str]]:
    """`choose` when the message answers an open choice; otherwise the choice is dropped
    (the draft before it comes back) and None, so the message is routed as usual."""
    pick = turn.draft if turn.draft and turn.draft.get("flow") == FLOW else None
    if pick is None:
        return None
    if _choice(turn, pick) is not None:
        return choose
    if turn.msg.text.strip("。.!！ ") in NEVER_MIND:
        return dismiss
    turn.draft = pick.get("resume")
    return None


def choose(turn: Turn) -> str:
    """The number of one of the listed orders: carry out the action on it."""
    pick = turn.draft
    turn.draft = pick.get("resume")
    number = pick["numbers"][_choice(turn, pick) - 1]
    order = RepairOrder.owned_by(turn.profile.id, number)
    if order is None:   # listed from the user's own orders: gone only if deleted meanwhile
        return turn.say("orders/not_found", number=number)
    return ACTS[pick["action"]](turn, order, pick["rest"])


def dismiss(turn: Turn) -> str:
    """取消 while a choice is open: no order is chosen; a report under it goes on."""
    turn.draft = turn.draft.get("resume")
    return turn.say("orders/pick_dropped", report=turn.draft is not None)


def _choice(turn: Turn, pick: dict) -> Optional[int]:
    """The listed position the message picks (1-based), or None."""
    text = turn.msg.text.strip().rstrip("号")
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(pick["numbers"]):
        return int(text)
    return None
