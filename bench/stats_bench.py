#!/usr/bin/env python3
"""Statistics benchmark: 1,000,000 orders, then the leader's month report timed, on both databases.

A report, not a test: it prints figures and exits 0 (it stops only when the data is absurd).

    .venv/bin/python bench/stats_bench.py               # SQLite, then PostgreSQL if it answers
    .venv/bin/python bench/stats_bench.py --runs 15 --no-pg
    .venv/bin/python bench/stats_bench.py --months 12   # the same million in one year
    .venv/bin/python bench/stats_bench.py --pg-url postgresql://postgres@127.0.0.1:5432/bench_stats

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
statistics read (not the whole timeline). The report timed is October 2026, a busy month.
"""
from __future__ import annotations

import os
import statistics as stats
import sys
import time as clock

from stats_data import DATA_VERSION, NOW, REPORT_MONTH
from stats_load import data_arguments, ensure_data, is_sqlite, on_each_database, sync_indexes
from models import db, open_database  # noqa: E402 - stats_data put the project on the path
from models.statistics import (breakdown, hot_locations, month_period, period_counters,
                               period_report, repeat_faults, top_fault_types)
from models.statistics_engineers import engineer_performance

def timed(call, runs: int) -> tuple[list[float], object]:
    """Milliseconds of each of `runs` calls after one warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        result = call()
        times.append((clock.perf_counter() - started) * 1000)
    return times, result


def report_times(name: str, runs: int) -> None:
    """Time the leader's month report and its parts; print the figures."""
    period = month_period(REPORT_MONTH)
    times, report = timed(lambda: period_report(period, NOW), runs)
    c = report.counters
    print(f"  month report {REPORT_MONTH:%Y-%m} on {name}: min {min(times):.1f} ms, "
          f"median {stats.median(times):.1f} ms, max {max(times):.1f} ms ({runs} runs; load "
          f"average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    print(f"    received {c.received:,}, completed {c.completed:,}, cancelled {c.cancelled:,}, "
          f"open {c.open:,}, overdue {c.overdue:,}, 完成率 {c.completion_rate:.3f}, "
          f"及时率 {c.on_time_rate:.3f}, response {c.avg_response_minutes:.1f} min, "
          f"arrival {c.avg_arrival_minutes:.1f} min, repair {c.avg_repair_minutes:.1f} min, "
          f"rating {c.avg_rating:.2f} ({c.high_rating_share:.3f} ≥ 4)")
    print(f"    top types {[(t.name, t.count) for t in report.top_types]}")
    print(f"    hot places {[(p.name, p.count) for p in report.hot_locations]}")
    most = repeat_faults(period, 3).top
    print(f"    repeats {report.repeats.count:,}, most: "
          f"{[(r.category, r.location, r.count) for r in most]}")
    if c.received == 0 or c.completed + c.cancelled + c.open != c.received:
        sys.exit("stats_bench: the month's figures make no sense; rebuild with --rebuild")
    parts = (("counters", lambda: period_counters(period, NOW)),
             ("top types", lambda: top_fault_types(period)),
             ("hot places", lambda: hot_locations(period)),
             ("repeat count", lambda: repeat_faults(period, 0)),
             ("repeats with top 5 (not in the report)", lambda: repeat_faults(period)))
    print("    one at a time, min / median ms: " + ", ".join(
        f"{label} {min(t):.1f} / {stats.median(t):.1f}"
        for label, call in parts for t in [timed(call, runs)[0]]))


def other_times(runs: int) -> None:
    """The reports outside the 200 ms promise, for information."""
    period = month_period(REPORT_MONTH)
    calls = [(f"breakdown by {by}", lambda by=by: breakdown(period, NOW, by))
             for by in ("department", "category", "engineer")]
    calls.append(("engineer performance", lambda: engineer_performance(period)))
    print("    others (median ms): " + ", ".join(
        f"{label} {stats.median(timed(call, runs)[0]):.0f}" for label, call in calls))


def bench_database(name: str, url: str, build, args) -> None:
    """Open, build when needed, bring the indexes in line, analyse, time."""
    print(f"{name}: {url}")
    open_database(url)
    ensure_data(build, f"{DATA_VERSION}/{args.orders}/{args.months}m", args.rebuild)
    for change in sync_indexes():
        print(f"  index {change}")
    if not is_sqlite():
        db.execute_sql("VACUUM ANALYZE")   # what autovacuum does after a bulk load
    report_times(name, args.runs)
    if not args.quick:
        other_times(max(1, args.runs // 3))
    db.close()


def main() -> None:
    parser = data_arguments(__doc__.splitlines()[0], 15, "timed runs of each report")
    parser.add_argument("--quick", action="store_true", help="only the month report")
    on_each_database(parser.parse_args(), bench_database)


if __name__ == "__main__":
    main()
