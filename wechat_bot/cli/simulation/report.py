"""What a run prints: a line per simulated day (as a leader would see it at midnight), the
whole run, and each invariant with the orders that break it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional
from unicodedata import east_asian_width

from handlers.leader import stats_limits
from models.lifecycle import SUBMITTED
from models.notifications import Notification
from models.orders import OrderEscalation, RepairOrder
from models.statistics import Counters, Period, day_period, period_counters
from wechat_bot.cli.simulation.invariants import INVARIANTS, Breach

SHOWN_PER_INVARIANT = 12
WEEKDAYS = "一二三四五六日"
COLUMNS = (("day", 12), ("orders", 7), ("done", 6), ("完成率", 9), ("及时率", 9), ("queued", 8),
           ("escalations", 13), ("notices", 9))


@dataclass(frozen=True)
class DayRow:
    """One day's figures: its orders as they stood at the end of it, and what the day saw."""
    label: str
    counters: Counters
    queued: int          # orders waiting in the dispatch queue at the end of the day
    escalations: int     # escalation steps taken that day
    notices: int         # template messages sent that day

    def line(self) -> str:
        c = self.counters
        return line((self.label, c.received, c.completed, pct(c.completion_rate),
                     pct(c.on_time_rate), self.queued, self.escalations, self.notices), COLUMNS)


def day_row(day: date, now: datetime, sla: dict, label: Optional[str] = None,
            period: Optional[Period] = None) -> DayRow:
    """The figures of `day` (or of `period`) read at `now`."""
    period = period or day_period(day)
    queued = RepairOrder.select().where(RepairOrder.status == SUBMITTED,
                                        RepairOrder.queued_at.is_null(False)).count()
    escalations = OrderEscalation.select().where(OrderEscalation.sent_at >= period.start,
                                                 OrderEscalation.sent_at < period.end).count()
    notices = Notification.select().where(Notification.sent_at >= period.start,
                                          Notification.sent_at < period.end).count()
    return DayRow(label or f"{day:%m-%d} 周{WEEKDAYS[day.weekday()]}",
                  period_counters(period, now, stats_limits(sla)), queued, escalations, notices)


def print_report(out, title: str, days: list[DayRow], total: DayRow,
                 breaches: list[Breach]) -> None:
    """The days, the whole run, then every invariant: ok, or broken with its orders."""
    print(title, file=out)
    print(line([name for name, _ in COLUMNS], COLUMNS), file=out)
    for row in days:
        print(row.line(), file=out)
    print(total.line(), file=out)
    print("\ninvariants:", file=out)
    for key, text in INVARIANTS.items():
        found = _varied([b for b in breaches if b.invariant == key])
        print(f"  {'BROKEN' if found else 'ok':<7} {text}"
              + (f" ({len(found)})" if found else ""), file=out)
        for breach in found[:SHOWN_PER_INVARIANT]:
            print(f"          {breach.order or '-':<16} {breach.detail}", file=out)
        if len(found) > SHOWN_PER_INVARIANT:
            print(f"          … and {len(found) - SHOWN_PER_INVARIANT} more", file=out)


def _varied(breaches: list[Breach]) -> list[Breach]:
    """One breach of each kind first (the same words, other orders and times), then the
    second of each …: the lines shown cover every kind of problem."""
    kinds: dict[str, list[Breach]] = {}
    for breach in breaches:
        kinds.setdefault(re.sub(r"BX\d+|\d+", "", breach.detail), []).append(breach)
    return [kind[n] for n in range(max(map(len, kinds.values()), default=0))
            for kind in kinds.values() if n < len(kind)]


def line(cells, columns) -> str:
    """Cells padded to (name, width) columns by their width on a terminal (a Chinese character
    takes two): the first to the left, the others to the right."""
    out = []
    for n, (cell, (_, width)) in enumerate(zip(map(str, cells), columns)):
        pad = " " * max(0, width - sum(2 if east_asian_width(ch) in "WF" else 1 for ch in cell))
        out.append(cell + pad if n == 0 else pad + cell)
    return "".join(out)


def pct(value: Optional[float]) -> str:
    """A share as a percentage with one decimal, — for none."""
    return "—" if value is None else f"{value * 100:.1f}%"
