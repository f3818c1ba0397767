"""完工 recorded by the desk: a warranty vendor's job, or a paper 派工单 brought back.

The same transition, OrderEvent, notice and statistics as the engineer's 完成 in chat: the
event's trigger is "complete", its actor the engineer who did the work (so their 绩效 counts
it), and the reporter gets the completed notice that starts rating and the survey. The order's
completed_at is the time written on the paper; the event is written when the desk types it.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for

from models.desk_completion import parse_cost, parse_time, stamped, time_problems
from models.orders import RepairOrder
from models.staff import DESK_ROLES
from models.workflow import fire
from wechat_bot.admin import bp
from wechat_bot.admin.guard import requires
from wechat_bot.admin.order_actions import act, staff_note

FIELDS = ("completed_at", "arrived_at", "solution", "materials", "cost", "done_by")
LIMITS = {"solution": 500, "materials": 200, "done_by": 64}
TIME_FORMAT = "%Y-%m-%d %H:%M"


@bp.post("/orders/<int:order_id>/complete")
@requires(*DESK_ROLES)
def order_complete(order_id: int):
    """记录完工: time done (empty: now), solution, cost, who did it, and the arrival if known."""
    order = RepairOrder.get_or_none(RepairOrder.id == order_id) or abort(404)
    typed = {name: request.form.get(name, "").strip() for name in FIELDS}
    done, problems = _read(typed, order, current_app.extensions["baoxiu"].clock.now())
    if problems:
        flash(typed, "complete_typed")      # the form comes back filled in
        for problem in problems:
            flash(problem, "order_problem")
        return redirect(url_for("admin.order_page", order_id=order_id))

    def record(order, now, staff):
        fire(order, "complete", _actor(order, done["done_by"], staff), now,
             note=staff_note(_note(order, done), staff), at=stamped(done["completed_at"], order),
             solution=done["solution"], materials=done["materials"], cost=done["cost"],
             **_arrival(order, done["arrived_at"]))
        told = current_app.extensions["baoxiu"].notifier.queue("completed", order.reporter,
                                                               order, now)
        return "complete" if told else "complete_untold"
    return act(order_id, "complete", _note(order, done), change=record)


def _read(typed: dict, order: RepairOrder, now) -> tuple[dict, list[str]]:
    """The typed values (times, cost as values) and the problem codes of what does not fit."""
    problems = [f"{name}_too_long" for name, most in LIMITS.items() if len(typed[name]) > most]
    if not typed["solution"]:
        problems.append("solution_needed")
    done = dict(typed, cost=parse_cost(typed["cost"]) if typed["cost"] else None,
                completed_at=parse_time(typed["completed_at"]) if typed["completed_at"]
                else now.replace(second=0, microsecond=0),
                arrived_at=parse_time(typed["arrived_at"]) if typed["arrived_at"] else None)
    if typed["cost"] and done["cost"] is None:
        problems.append("bad_cost")
    if done["completed_at"] is None or (typed["arrived_at"] and done["arrived_at"] is None):
        return done, problems + ["bad_time"]
    arrived = done["arrived_at"] if order.arrived_at is None else None  # WeChat's arrival stands
    return done, problems + time_problems(order, done["completed_at"], arrived, now)


def _actor(order: RepairOrder, done_by: str, staff):
    """The assigned engineer when they did the work, else the desk's own WeChat user (if any)."""
    if order.engineer_id and done_by in ("", order.engineer.name):
        return order.engineer_id
    return staff.user_id


def _note(order: RepairOrder, done: dict) -> str:
    """The timeline's words: who finished when (and arrived when), and how."""
    texts = current_app.jinja_env.get_template("admin/order_texts.html").module.NOTE
    arrived = done["arrived_at"] if order.arrived_at is None else None
    return texts["completed"].format(
        done_by=done["done_by"] or done_by_default(order),
        done=done["completed_at"].strftime(TIME_FORMAT),
        arrived=texts["arrived"].format(arrived.strftime(TIME_FORMAT)) if arrived else "",
        solution=done["solution"])


def done_by_default(order: RepairOrder) -> str:
    """Who did the work unless the desk says otherwise: the engineer, else the vendor."""
    return order.engineer.name if order.engineer_id else order.vendor_name


def _arrival(order: RepairOrder, arrived_at) -> dict:
    """The arrival written on the paper when WeChat never heard of one (及时率 counts it)."""
    if arrived_at is None or order.arrived_at is not None:
        return {}
    return {"arrived_at": stamped(arrived_at, order)}
