"""The leaders' scheduled reports: a daily digest (报修日报) and a month-end report (工单月报)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from apscheduler.triggers.cron import CronTrigger

from handlers.leader import stats_limits
from models.database import db
from models.people import LEADER, User
from models.statistics import day_period, month_period, period_report
from wechat_bot.background.scheduler import Job
from wechat_bot.wechat_api.notify import Notifier


class LeaderReports:
    """Queues the reports to every leader; the scheduler runs each occurrence once."""

    def __init__(self, notifier: Notifier, sla: dict):
        self.notifier, self.sla = notifier, sla

    def jobs(self, zone) -> list[Job]:
        """Digest at 08:00 every day; month report at 08:30 on the 1st."""
        return [Job("daily_digest", CronTrigger(hour=8, minute=0, timezone=zone), self.digest),
                Job("month_report", CronTrigger(day=1, hour=8, minute=30, timezone=zone),
                    self.month_report)]

    def digest(self, now: datetime, since: Optional[datetime] = None) -> None:
        """Yesterday's numbers."""
        day = now.date() - timedelta(days=1)
        self._send("digest", f"报修日报 {day:%m月%d日}", day_period(day), now)

    def month_report(self, now: datetime, since: Optional[datetime] = None) -> None:
        """Last month's numbers."""
        day = now.date().replace(day=1) - timedelta(days=1)
        self._send("month_report", f"{day:%Y年%m月}工单月报", month_period(day), now)

    def _send(self, kind: str, title: str, period, now: datetime) -> None:
        report = period_report(period, now, stats_limits(self.sla))
        c = report.counters
        context = dict(title=title, received=c.received, completed=c.completed,
                       completion=_pct(c.completion_rate),
                       on_time=_pct(c.on_time_rate), high=_pct(c.high_rating_share),
                       rating="—" if c.avg_rating is None else f"{c.avg_rating:.1f}")
        with db.atomic():
            for leader in User.select().where(User.role == LEADER, User.subscribed):
                self.notifier.queue(kind, leader, None, now, **context)


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"
