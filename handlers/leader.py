"""What leaders ask in chat: 统计 [period | 工程师], and the STATS_* menu keys. Leaders only."""
from __future__ import annotations

from datetime import date, timedelta

from handlers.turn import Turn
from models.catalogue import FaultType
from models.people import LEADER
from models.shifts import plan_from_config
from models.sla_limits import limits_for
from models.sla_overrides import effective_sla
from models.sla_overdue import overdue_orders
from models.statistics import Limits, day_period, month_period, period_report, week_period
from models.statistics_engineers import engineer_performance

OVERDUE_SHOWN = 10


def leaders_only(handler):
    """Politely refuse statistics to anyone without the leader role."""
    def guarded(turn: Turn) -> str:
        if turn.profile.role != LEADER:
            return turn.say("leader/not_leader")
        return handler(turn)
    guarded.__doc__ = handler.__doc__
    return guarded


def stats_limits(sla: dict) -> Limits:
    """The statistics' SLA limits (及时率, overdue) from the same [sla] the jobs use."""
    sla = effective_sla(sla)
    base = limits_for(None, "normal", sla)
    types = {t.name: t.id for t in FaultType.select(FaultType.id, FaultType.name)}
    per_type = {types[name]: limits_for(name, "normal", sla)
                for name in (sla.get("types") or {}) if name in types}
    return Limits(arrive_minutes=base.arrive_minutes, complete_hours=base.complete_minutes / 60,
                  arrive_minutes_by_type={i: l.arrive_minutes for i, l in per_type.items()},
                  complete_hours_by_type={i: l.complete_minutes / 60 for i, l in per_type.items()})


@leaders_only
def today(turn: Turn) -> str:
    """STATS_TODAY: today's report."""
    return _report(turn, "今日概况", day_period(turn.now.date()))


@leaders_only
def this_month(turn: Turn) -> str:
    """STATS_MONTH: this month's report."""
    return _report(turn, "本月统计", month_period(turn.now.date()))


@leaders_only
def this_week(turn: Turn) -> str:
    """这周怎么样: this week's report."""
    return _report(turn, "本周统计", week_period(turn.now.date()))


@leaders_only
def last_month(turn: Turn) -> str:
    """上个月怎么样: last month's report."""
    return _report(turn, "上月统计", month_period(_last_month(turn.now.date())))


@leaders_only
def overdue(turn: Turn) -> str:
    """STATS_OVERDUE: unfinished orders past an SLA deadline, oldest first."""
    shown, total = overdue_orders(turn.now, turn.sla, plan_from_config(turn.shifts),
                                  OVERDUE_SHOWN)
    return turn.say("leader/overdue", orders=shown, total=total)


@leaders_only
def stats(turn: Turn) -> str:
    """统计 [今日|本周|本月|上月|工程师 [上月]]."""
    words = turn.args.split()
    if words and words[0] in ("工程师", "绩效"):
        return _engineers(turn, words[1:])
    word = words[0] if words else "今日"
    periods = {"今日": ("今日概况", day_period), "今天": ("今日概况", day_period),
               "本周": ("本周统计", week_period), "本月": ("本月统计", month_period),
               "上月": ("上月统计", lambda day: month_period(_last_month(day)))}
    if word not in periods:
        return turn.say("leader/usage")
    title, period = periods[word]
    return _report(turn, title, period(turn.now.date()))


def _report(turn: Turn, title: str, period) -> str:
    report = period_report(period, turn.now, stats_limits(turn.sla_settings))
    return turn.say("leader/report", title=title, report=report, one_day=timedelta(days=1))


def _engineers(turn: Turn, words: list[str]) -> str:
    day = _last_month(turn.now.date()) if words[:1] == ["上月"] else turn.now.date()
    rows = engineer_performance(month_period(day), stats_limits(turn.sla_settings))
    return turn.say("leader/engineers", stats=rows, title=f"{day:%Y年%m月}")


def _last_month(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)
