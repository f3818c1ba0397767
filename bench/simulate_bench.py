#!/usr/bin/env python3
"""Capacity planning with the simulator: the same weeks under several staffings, side by side.

A report, not a test: it prints figures and exits 0.

    .venv/bin/python bench/simulate_bench.py                       # night shift 1, 2, 3 (day 2)
    .venv/bin/python bench/simulate_bench.py day=2,night=3 day=3,night=3 --reporters 45
    .venv/bin/python bench/simulate_bench.py --days 14 --no-shows 0 --days-report

Each staffing runs `run.py simulate` (wechat_bot/cli/simulate.py) on a throw-away database
with the same seed, so the same people report the same faults at the same times; one line per
staffing shows what the leaders would see over the whole run (完成率, 及时率, average arrival)
and what it took (the queue at the end, escalations, notices), then the invariants that broke.
"With 3 night engineers, what is the 及时率?" is one line. A week takes a few minutes a
staffing on the 2-core machine (mostly the clock jobs, which run every simulated minute).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wechat_bot.cli.commands import share, staffing  # noqa: E402 - run.py's option types
from wechat_bot.cli.simulate import isolated, run_simulation, title  # noqa: E402
from wechat_bot.cli.simulation.report import line, pct, print_report  # noqa: E402
from wechat_bot.cli.simulation.world import Spec  # noqa: E402
from wechat_bot.config import load_settings  # noqa: E402

DEFAULT_STAFFINGS = ("day=2,night=1", "day=2,night=2", "day=2,night=3")
COLUMNS = (("staffing", 20), ("orders", 7), ("完成率", 9), ("及时率", 9), ("arrival", 9),
           ("queued", 8), ("escalations", 13), ("notices", 9), ("seconds", 9))


def main() -> int:
    args = _parser().parse_args()
    settings = load_settings(args.config)
    print(line([name for name, _ in COLUMNS], COLUMNS) + "  broken")
    for text in args.staffings or DEFAULT_STAFFINGS:
        spec = Spec(days=args.days, reporters=args.reporters, engineers=staffing(text),
                    no_shows=args.no_shows, paper=args.paper, seed=args.seed)
        started = time.monotonic()
        with isolated(settings, fill=False) as (ours, redis_client):
            outcome = run_simulation(ours, spec, redis_client)
        if args.days_report:
            print_report(sys.stdout, title(spec, False), outcome.days, outcome.total,
                         outcome.breaches)
        print(_line(text, outcome, time.monotonic() - started), flush=True)
    return 0


def _line(staffing_text: str, outcome, seconds: float) -> str:
    c, total = outcome.total.counters, outcome.total
    arrival = "—" if c.avg_arrival_minutes is None else f"{c.avg_arrival_minutes:.0f} min"
    cells = (staffing_text, c.received, pct(c.completion_rate), pct(c.on_time_rate), arrival,
             total.queued, total.escalations, total.notices, f"{seconds:.0f}")
    return line(cells, COLUMNS) + "  " + (", ".join(sorted(outcome.broken())) or "-")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staffings", nargs="*", help="e.g. day=2,night=3 (default: night 1-3)")
    parser.add_argument("--config", help="TOML config file (its [sla] and [shifts] count)")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--reporters", type=int, default=30, help="reports a day")
    parser.add_argument("--no-shows", type=share, default=0.0)
    parser.add_argument("--paper", type=share, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days-report", action="store_true",
                        help="also print each run's day-by-day report and invariants")
    return parser


if __name__ == "__main__":
    sys.exit(main())
