"""A reporter's own orders: 我的报修, 查询 [单号], 取消 [单号] (and 取消报修). Nobody sees
another's orders; a number may be typed loosely or left out (handlers/order_refs.py)."""
from __future__ import annotations

from handlers import pick_order, reporter
from handlers.order_refs import CANCEL, SHOW, args_of, read
from handlers.pick_order import acts
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
    """查询 [单号]: one order's timeline; without a number, the newest order's."""
    return pick_order.resolve(turn, SHOW, args_of(turn))


def cancel_order(turn: Turn) -> str:
    """取消 [单号]: cancel an own order while nobody has accepted it (the only such, or a choice)."""
    return pick_order.resolve(turn, CANCEL, args_of(turn))


def cancel_report(turn: Turn) -> str:
    """取消报修 [单号]: while a report is being filled in and no number is given, drop it;
    otherwise cancel an order as 取消 does."""
    if reporter.has_report_draft(turn) and not read(args_of(turn)).typed:
        return reporter.cancel_draft(turn)
    return cancel_order(turn)


@acts(SHOW)
def show_order(turn: Turn, order: RepairOrder, rest: str = "") -> str:
    """One order's timeline."""
    return turn.say("orders/timeline", order=order, events=OrderEvent.timeline(order))


@acts(CANCEL)
def cancel_this(turn: Turn, order: RepairOrder, rest: str = "") -> str:
    """Cancel one own order if nobody has accepted it; its engineer (if dispatched) is told."""
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
