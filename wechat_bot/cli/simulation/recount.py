"""Statistics recomputed from the timeline (the OrderEvent rows, as they stood at the moment a
figure was shown) and compared with what people were shown: the leader's 统计 in chat, the
报修日报, and models/statistics.py's period report for every simulated day."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterator, Optional

from handlers.leader import stats_limits
from models.lifecycle import CANCELLED, CLOSED, COMPLETED, RATED
from models.statistics import Limits, Period, day_period, period_report
from wechat_bot.cli.simulation.invariants import Breach, Facts
from wechat_bot.cli.simulation.journal import Shown

DONE = (COMPLETED, RATED, CLOSED)
PLACES = {"统计 今日": 1, "报修日报": 0}   # decimals the rates are shown with
COUNTS = ("received", "completed", "cancelled", "open", "arrived", "on_time")
LABELS = {"received": "受理", "completed": "完成", "cancelled": "取消", "open": "未完成",
          "arrived": "到场", "on_time": "及时到场", "completion": "完成率", "on_time_rate": "及时率"}


def recount(facts: Facts, limits: Limits, period: Period, at: datetime) -> dict:
    """The counters of the orders submitted in `period`, from the events up to `at`."""
    figures = dict.fromkeys(COUNTS, 0)
    for order in facts.orders:
        events = [e for e in facts.events[order.id] if e.created_at <= at]
        if not events or events[0].trigger != "submit" \
                or not period.start <= events[0].created_at < period.end:
            continue
        status = events[-1].to_status
        arrivals = [e.created_at for e in events if e.trigger == "arrive"]
        figures["received"] += 1
        figures["completed"] += status in DONE
        figures["cancelled"] += status == CANCELLED
        figures["open"] += status not in DONE and status != CANCELLED
        if arrivals:
            limit = limits.arrive_minutes_by_type.get(order.category_id, limits.arrive_minutes)
            figures["arrived"] += 1
            figures["on_time"] += arrivals[-1] - events[0].created_at <= timedelta(minutes=limit)
    figures["completion"] = _pct(figures["completed"], figures["received"] - figures["cancelled"])
    figures["on_time_rate"] = _pct(figures["on_time"], figures["arrived"])
    return figures


def statistics(facts: Facts, journal, sla: dict, days: list[date]) -> Iterator[Breach]:
    """What was shown against the recount; the orders whose row disagrees with its events."""
    limits = stats_limits(sla)
    for shown in journal.shown + [_period_report(facts, limits, day) for day in days]:
        counted = recount(facts, limits, shown.period, shown.at)
        places = PLACES.get(shown.source)
        for name, value in shown.figures.items():
            if not _same(value, counted[name], places):
                yield Breach("statistics", "", f"{shown.source} for {shown.period.start:%m-%d} "
                             f"at {shown.at:%m-%d %H:%M} showed {LABELS[name]} "
                             f"{_shown(value, places)}, the events say "
                             f"{_shown(counted[name], places)}")
    yield from _rows_against_events(facts)


def _period_report(facts: Facts, limits: Limits, day: date) -> Shown:
    c = period_report(day_period(day), facts.now, limits).counters
    return Shown(facts.now, day_period(day), "period_report",
                 {name: getattr(c, name) for name in COUNTS})


def _rows_against_events(facts: Facts) -> Iterator[Breach]:
    """An order's status and arrival must be what its timeline says."""
    for order in facts.orders:
        events = facts.events[order.id]
        arrivals = [e.created_at for e in events if e.trigger == "arrive"]
        if not events or events[-1].to_status != order.status:
            last = events[-1].to_status if events else "no events"
            yield Breach("statistics", order.number,
                         f"the order is {order.status} but its timeline ends {last}")
        elif (arrivals[-1] if arrivals else None) != order.arrived_at:
            yield Breach("statistics", order.number, f"arrived_at {order.arrived_at} but the "
                         f"timeline's arrival is {arrivals[-1] if arrivals else 'none'}")


def _pct(part: int, whole: int) -> Optional[float]:
    """A percentage computed as the app computes it (ratio × 100), so both round alike."""
    return part / whole * 100 if whole else None


def _same(shown, counted, places: Optional[int]) -> bool:
    """Equal as shown: rates to the places they were printed with, counts exactly."""
    return _shown(shown, places) == _shown(counted, places)


def _shown(value, places: Optional[int]) -> str:
    if value is None:
        return "—"
    return f"{value:.{places}f}%" if places is not None and isinstance(value, float) else str(value)
