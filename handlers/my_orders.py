"""A reporter's own orders: 我的报修, 查询 单号, 取消 单号. Nobody sees another's orders."""
from __future__ import annotations

from handlers.job_text import number_like, split_number
from handlers.turn import Turn
from models.database import db
from models.lifecycle import UNACCEPTED_STATES, IllegalTransition
from models.orders import OrderEvent, RepairOrder
from models.workflow import fire


def list_recent(turn: Turn) -> str:
    """我的报修 / MY_ORDERS: the newest orders with their status."""
    orders = RepairOrder.recent_for(turn.profile.id, turn.settings.recent_orders)
    return turn.say("orders/recent", orders=orders)


def show(turn: Turn) -> str:
    """查询 [单号]: one order's timeline; without a number, the list."""
    if not turn.args:
        return list_recent(turn)
    order = _own_order(turn)
    if order is None:
        return not_found(turn)
    return turn.say("orders/timeline", order=order, events=OrderEvent.timeline(order))


def cancel_order(turn: Turn) -> str:
    """取消 单号: cancel an own order while nobody has accepted it."""
    order = _own_order(turn)
    if order is None:
        return not_found(turn)
    if order.status not in UNACCEPTED_STATES:
        return turn.say("orders/cannot_cancel", order=order)
    note = turn.say("orders/cancel_note")
    try:
        with db.atomic():
            fire(order, "cancel", turn.profile.id, turn.now, note=note)
            if order.engineer_id:
                turn.notify("cancelled", order.engineer, order, note=note)
    except IllegalTransition:  # accepted a moment ago by an engineer
        return turn.say("orders/cannot_cancel", order=RepairOrder.get_by_id(order.id))
    return turn.say("orders/cancelled", order=order)


def not_found(turn: Turn) -> str:
    """No own order by that number: show what looked like the number, never the words after it."""
    return turn.say("orders/not_found", number=number_like(turn.args))


def _own_order(turn: Turn):
    number, _ = split_number(turn.args)
    return RepairOrder.owned_by(turn.profile.id, number) if number else None
