"""The order lifecycle as one declarative transition table. Pure: no database, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

SUBMITTED, DISPATCHED, ACCEPTED, ARRIVED = "submitted", "dispatched", "accepted", "arrived"
COMPLETED, RATED, CLOSED = "completed", "rated", "closed"
SUSPENDED, CANCELLED = "suspended", "cancelled"
STATES = (SUBMITTED, DISPATCHED, ACCEPTED, ARRIVED, COMPLETED, RATED, CLOSED, SUSPENDED,
          CANCELLED)
FINAL_STATES = (CLOSED, CANCELLED)
# States in which nobody has taken the job yet: the reporter may still cancel.
UNACCEPTED_STATES = (SUBMITTED, DISPATCHED)
OPEN_STATES = (SUBMITTED, DISPATCHED, ACCEPTED, ARRIVED, SUSPENDED)

REOPEN_WINDOW = timedelta(days=7)


class IllegalTransition(Exception):
    """The trigger is not allowed from the order's current state (or its guard said no)."""

    def __init__(self, trigger: str, state: str):
        super().__init__(f"cannot {trigger} an order that is {state}")
        self.trigger, self.state = trigger, state


Guard = Callable[[object, datetime], bool]


def _has_arrived(order, now) -> bool:
    return order.arrived_at is not None


def _not_arrived(order, now) -> bool:
    return order.arrived_at is None


def _within_reopen_window(order, now) -> bool:
    return order.completed_at is not None and now - order.completed_at <= REOPEN_WINDOW


@dataclass(frozen=True)
class Transition:
    """One row: `trigger` moves an order from any of `sources` to `dest` when `guard` allows."""
    trigger: str
    sources: tuple[str, ...]
    dest: str
    stamp: Optional[str] = None      # the timestamp field this transition sets
    guard: Optional[Guard] = None


TRANSITIONS = (
    Transition("review", (SUBMITTED,), SUBMITTED, "reviewed_at"),
    Transition("queue", (SUBMITTED,), SUBMITTED, "queued_at"),
    Transition("dispatch", (SUBMITTED,), DISPATCHED, "dispatched_at"),
    Transition("accept", (DISPATCHED,), ACCEPTED, "accepted_at"),
    Transition("reject", (DISPATCHED,), SUBMITTED),
    Transition("timeout", (DISPATCHED,), SUBMITTED),  # not accepted in time: dispatch again
    Transition("transfer", (ACCEPTED, ARRIVED), SUBMITTED),
    # The desk takes a running job back to give it to someone else (改派); a suspended job is
    # resumed first, so its pause is closed on the SLA clock.
    Transition("reassign", (DISPATCHED, ACCEPTED, ARRIVED), SUBMITTED),
    Transition("arrive", (ACCEPTED,), ARRIVED, "arrived_at"),
    Transition("progress", (ARRIVED,), ARRIVED),
    Transition("progress", (ACCEPTED,), ACCEPTED),
    Transition("suspend", (ACCEPTED, ARRIVED), SUSPENDED),
    Transition("resume", (SUSPENDED,), ARRIVED, None, _has_arrived),
    Transition("resume", (SUSPENDED,), ACCEPTED, None, _not_arrived),
    Transition("complete", (ACCEPTED, ARRIVED), COMPLETED, "completed_at"),
    # The desk records a completion done outside the chat (wechat_bot/admin/order_complete.py):
    # a warranty vendor's job, or a paper 派工单 whose engineer never answered in WeChat. In
    # chat, 完成 still needs an accepted job (handlers/engineer.py asks for it).
    Transition("complete", (DISPATCHED,), COMPLETED, "completed_at"),
    Transition("rate", (COMPLETED,), RATED, "rated_at"),
    Transition("close", (COMPLETED, RATED), CLOSED, "closed_at"),
    Transition("reopen", (COMPLETED, RATED), SUBMITTED, None, _within_reopen_window),
    Transition("cancel", UNACCEPTED_STATES, CANCELLED, "cancelled_at"),
)
TRIGGERS = tuple(dict.fromkeys(t.trigger for t in TRANSITIONS))


def find_transition(order, trigger: str, now: datetime) -> Transition:
    """The row that `trigger` fires for this order now; raise IllegalTransition if none."""
    for row in TRANSITIONS:
        if row.trigger == trigger and order.status in row.sources:
            if row.guard is None or row.guard(order, now):
                return row
    raise IllegalTransition(trigger, order.status)


def can_fire(order, trigger: str, now: datetime) -> bool:
    """Whether `trigger` is allowed for this order now."""
    try:
        find_transition(order, trigger, now)
    except IllegalTransition:
        return False
    return True
