#!/usr/bin/env python3
"""Statistics benchmark: 1,000,000 orders, then every leader query timed, on both databases.

A report, not a test: it prints figures and exits 0 (it stops only when the data is absurd).

    .venv/bin/python bench/stats_bench.py               # SQLite, then PostgreSQL if it answers
    .venv/bin/python bench/stats_bench.py --runs 15 --no-pg
    .venv/bin/python bench/stats_bench.py --months 12   # the same million in one year
    .venv/bin/python bench/stats_bench.py --pg-url postgresql://postgres@127.0.0.1:5432/bench_stats

Every report a leader can ask for, by chat word or menu key (今日/本周/本月/上月, 统计 工程师
[上月], 超时工单) and the rest of the statistics modules (the breakdowns by department, fault
type, engineer and the reporter's unit, the repeat faults with their top list), each timed
`--runs` times after a warm-up; a table of the median and p95 per query and database, with the
200 ms target marked. It is also written to bench/results/stats-latest.txt (git-ignored).

The data is built once (a few minutes) and kept: SQLite in bench/results/stats-<version>.sqlite
(git-ignored), PostgreSQL in its own database `bench_stats` (created when missing; a marker
table holds the version). Reruns only time. Indexes are brought in line with the models'
Meta.indexes on every run, so trying another index needs no rebuild; `--rebuild` forces one.

The orders: three years (`--months`) ending at NOW, about 28,000 a month, seasonal (busy
September, quiet February and summer), weekdays busier than weekends, office hours busier than
nights; nine fault types of uneven frequency; 4,920 catalogue places of Zipf-like popularity
(1/√rank) plus a quarter typed as free text; 2,000 engineers; delays like a real campus (accept
~4 min, on site ~9 min later, repair ~70 min, long tails), 4 % cancelled, 1.5 % stuck open,
60 % rated. Events: the accept, complete, reject, transfer and escalate rows the engineer
statistics read (not the whole timeline); the job facts are made from them by the app's own
migration (models.schema.add_job_facts), as on a database upgraded in place, and the time it
took is printed. "Last month" is October 2026, a busy month; "now" is 26 November, 09:30.
"""
from __future__ import annotations

import os
import statistics as stats
import sys
import time as clock

from stats_data import BENCH_DIR, DATA_VERSION, NOW, REPORT_MONTH
from stats_load import (data_arguments, ensure_data, is_sqlite, mark_repeats_now,
                        on_each_database, sync_indexes)
from models import db, open_database  # noqa: E402 - stats_data put the project on the path
from models.dashboard_stats import unit_breakdown
from models.shifts import plan_from_config
from models.sla_overdue import overdue_orders
from models.statistics import (breakdown, day_period, month_period, period_report,
                               repeat_faults, week_period)
from models.statistics_engineers import engineer_performance

TARGET_MS = 200
OVERDUE_SHOWN = 10   # handlers/leader.py shows as many


def leader_queries() -> list[tuple[str, object]]:
    """(label, call) for every leader query: what handlers/leader.py and the scheduled reports
    ask models/ for (default SLA and shifts), and the other reports of the statistics modules."""
    today, last = NOW.date(), month_period(REPORT_MONTH)
    plan = plan_from_config(None)
    return [
        ("今日概况 (STATS_TODAY, 统计)", lambda: period_report(day_period(today), NOW)),
        ("本周统计 (统计 本周)", lambda: period_report(week_period(today), NOW)),
        ("本月统计 (STATS_MONTH, 统计 本月)", lambda: period_report(month_period(today), NOW)),
        ("上月统计 (统计 上月)", lambda: period_report(last, NOW)),
        ("绩效 本月 (统计 工程师)", lambda: engineer_performance(month_period(today))),
        ("绩效 上月 (统计 工程师 上月)", lambda: engineer_performance(last)),
        ("超时工单 (STATS_OVERDUE)", lambda: overdue_orders(NOW, {}, plan, OVERDUE_SHOWN)),
        ("上月 by department", lambda: breakdown(last, NOW, "department")),
        ("上月 by fault type", lambda: breakdown(last, NOW, "category")),
        ("上月 by engineer", lambda: breakdown(last, NOW, "engineer")),
        ("上月 by reporter's unit", lambda: unit_breakdown(last, NOW)),
        ("上月 repeat faults, top 5", lambda: repeat_faults(last)),
    ]


def timed(call, runs: int) -> tuple[list[float], list[float], object]:
    """Wall-clock and CPU milliseconds of each of `runs` calls after one warm-up, and the last
    result. CPU is this process's (all its threads): on SQLite the whole work of a query,
    whatever else the machine is doing; on PostgreSQL only the client's share."""
    result = call()
    times, cpu = [], []
    for _ in range(runs):
        started, used = clock.perf_counter(), clock.process_time()
        result = call()
        times.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.process_time() - used) * 1000)
    return times, cpu, result


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def month_figures(name: str) -> None:
    """Last month's report once, as a check that the data is what it should be."""
    report = period_report(month_period(REPORT_MONTH), NOW)
    c = report.counters
    print(f"  month report {REPORT_MONTH:%Y-%m} on {name}: received {c.received:,}, completed "
          f"{c.completed:,}, cancelled {c.cancelled:,}, open {c.open:,}, overdue {c.overdue:,}, "
          f"完成率 {c.completion_rate:.3f}, 及时率 {c.on_time_rate:.3f}, rating "
          f"{c.avg_rating:.2f}, repeats {report.repeats.count:,}")
    if c.received == 0 or c.completed + c.cancelled + c.open != c.received:
        sys.exit("stats_bench: the month's figures make no sense; rebuild with --rebuild")


def time_queries(name: str, runs: int) -> dict[str, tuple[float, float, float]]:
    """label → (median, p95, CPU median) for every leader query, printed as they finish."""
    results = {}
    print(f"  {'query':<34} {'median':>8} {'p95':>8} {'cpu':>8}   (ms; {runs} runs, load "
          f"average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    for label, call in leader_queries():
        times, cpu, found = timed(call, runs)
        results[label] = (stats.median(times), p95(times), stats.median(cpu))
        over = "  ← over 200 ms" if p95(times) > TARGET_MS else ""
        print(f"  {label:<34} {stats.median(times):8.1f} {p95(times):8.1f} "
              f"{stats.median(cpu):8.1f}   {size_of(found)}{over}", flush=True)
    print(f"  (load average {os.getloadavg()[0]:.2f} at the end)")
    return results


def size_of(found) -> str:
    """A few words on what a query returned, so a fast empty answer shows."""
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], int):
        return f"{found[1]:,} overdue"
    if hasattr(found, "counters"):
        return f"{found.counters.received:,} orders"
    if hasattr(found, "count") and hasattr(found, "top"):
        return f"{found.count:,} repeats"
    return f"{len(found):,} rows"


def table(results: dict[str, dict]) -> str:
    """The Markdown table of every query on every database measured (CPU: SQLite only, where
    the query runs inside this process)."""
    names = list(results)
    head = "| query | " + " | ".join(
        f"{n} median | p95" + (" | cpu" if n == "SQLite" else "") for n in names) + " |"
    rule = "|---|" + "".join("---:|---:|" + ("---:|" if n == "SQLite" else "") for n in names)
    lines = [head, rule]
    for label in next(iter(results.values()), {}):
        cells = []
        for name in names:
            median, high, cpu = results[name][label]
            cells.append(f"{median:.0f} | {high:.0f}{' ✗' if high > TARGET_MS else ''}"
                         + (f" | {cpu:.0f}" if name == "SQLite" else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    worst = max((r[1] for by in results.values() for r in by.values()), default=0)
    lines.append(f"\nTarget: every query under {TARGET_MS} ms (✗: p95 over it). Slowest p95: "
                 f"{worst:.0f} ms.")
    return "\n".join(lines)


RESULTS: dict[str, dict] = {}


def bench_database(name: str, url: str, build, args) -> None:
    """Open, build when needed, bring the indexes in line, analyse, time."""
    print(f"{name}: {url}")
    open_database(url)
    ensure_data(build, f"{DATA_VERSION}/{args.orders}/{args.months}m", args.rebuild)
    for change in sync_indexes():
        print(f"  index {change}")
    mark_repeats_now()
    if not is_sqlite():
        db.execute_sql("VACUUM ANALYZE")   # what autovacuum does after a bulk load
    month_figures(name)
    RESULTS[name] = time_queries(name, args.runs)
    db.close()


def main() -> None:
    parser = data_arguments(__doc__.splitlines()[0], 15, "timed runs of each query")
    on_each_database(parser.parse_args(), bench_database)
    text = table(RESULTS)
    print(text)
    (BENCH_DIR / "results" / "stats-latest.txt").write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
