"""Shared instants and calendars of the SLA tests."""
from datetime import date, datetime, time, timedelta

from models.work_calendar import Calendar


def at(day, hour, minute=0):
    """A naive local instant; `day` is the day of November 2026 (the 26th is a Thursday)."""
    return datetime(2026, 11, day, hour, minute) if isinstance(day, int) \
        else datetime.combine(day, time(hour, minute))


def minutes(n):
    return timedelta(minutes=n)


OCT = {n: date(2026, 10, n) for n in range(1, 32)}     # 1 October 2026 is a Thursday
DESK = ((time(9), time(17, 30)),)
NIGHT = ((time(17, 30), time(9)),)
# The day desk's SLA hours: Monday to Friday, closed on 1–2 October, open Saturday 10 October.
DAY_DESK = Calendar(week=(DESK,) * 5 + ((),) * 2, holidays=frozenset({OCT[1], OCT[2]}),
                    workdays=frozenset({OCT[10]}))
NIGHT_DESK = Calendar(week=(NIGHT,) * 7, holidays=frozenset({OCT[1]}))
