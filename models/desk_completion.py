"""A completion the desk records from a returned paper 派工单 or a vendor's report: its rules.

Pure: the order's times and what was typed in, problem codes out (their Chinese is in
templates/admin/order_texts.html). Which states allow it is the lifecycle table's business.
"""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Optional

COST = re.compile(r"\d{1,7}(\.\d{1,2})?")   # yuan, as the engineer's 完成 … 费用 N takes it
TYPED_TIME = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")   # a datetime-local input, or typed by hand


def parse_time(text: str) -> Optional[datetime]:
    """A local time typed to the minute ('2026-11-26T14:05'), else None."""
    for pattern in TYPED_TIME:
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    return None


def parse_cost(text: str) -> Optional[Decimal]:
    """Yuan with at most two decimals ('35', '35.50', '35元'); None when it is not that."""
    text = text.strip().removesuffix("元").strip()
    return Decimal(text) if COST.fullmatch(text) else None


def time_problems(order, done_at: datetime, arrived_at: Optional[datetime],
                  now: datetime) -> list[str]:
    """What is wrong with the times written on the paper, as problem codes (empty: fine).

    Times are typed to the minute, so the report's own minute counts as after the report.
    """
    reported = order.submitted_at.replace(second=0, microsecond=0)
    problems = []
    if done_at > now:
        problems.append("done_in_future")
    elif done_at < reported:
        problems.append("done_before_report")
    if arrived_at is not None and not reported <= arrived_at <= done_at:
        problems.append("arrival_outside")
    elif order.arrived_at is not None and done_at < order.arrived_at.replace(second=0,
                                                                              microsecond=0):
        problems.append("done_before_arrival")
    return problems


def stamped(typed: datetime, order) -> datetime:
    """The typed minute, but never before the report itself (its seconds): durations stay ≥ 0."""
    return max(typed, order.submitted_at)
