#!/usr/bin/env python3
"""Back-office benchmark: the order list and the dashboard on 1,000,000 orders, both databases.

A report, not a test: it prints the median and p95 milliseconds of each page (the whole
request through the Flask test client, logged in as a leader: queries, template, headers)
and exits 0. The target is < 300 ms each.

    .venv/bin/python bench/admin_bench.py                 # SQLite, then PostgreSQL if it answers
    .venv/bin/python bench/admin_bench.py --runs 30 --no-pg
    .venv/bin/python bench/admin_bench.py --redis-url redis://127.0.0.1:6379/11

The orders are stats_bench.py's (stats_data.py makes them, stats_load.py loads and keeps
them). This script adds what the back office needs and the statistics do not: the missing tables, an
engineer profile for each of the 2,000 engineers (a third on the day shift, a third on
nights, a third on none) and a leader's staff account. It uses Redis for the login only (keys
under the prefix `bxbench-admin:`).
"""
from __future__ import annotations

import os
import re
import statistics as stats
import sys
import tempfile
import time as clock
from urllib.parse import quote

from stats_data import DATA_VERSION, NOW, REPORT_MONTH
from stats_load import (data_arguments, ensure_data, is_sqlite, mark_repeats_now,
                        on_each_database, sync_indexes)
from models import create_tables, db, open_database  # noqa: E402 - stats_data set the path
from models.orders import RepairOrder
from models.people import EngineerProfile, User
from models.staff import StaffAccount, create_staff
from wechat_bot import create_app
from wechat_bot.admin.order_query import make_cursor
from wechat_bot.clock import ManualClock
from wechat_bot.config import AppSettings, DatabaseSettings, RedisSettings, Settings, WechatSettings

USERNAME, PASSWORD = "bench-leader", "bench password 42"
SHIFTS = ("day", "night", "")
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TARGET_MS = 300


def prepare() -> None:
    """The tables, engineer profiles and staff account the pages need (once; kept)."""
    create_tables()
    if not EngineerProfile.select().exists():
        engineers = [i for (i,) in User.select(User.id).where(User.role == "engineer").tuples()]
        with db.atomic():
            for first in range(0, len(engineers), 500):
                EngineerProfile.insert_many(
                    [{"user": i, "active": True, "shift": SHIFTS[i % 3]}
                     for i in engineers[first:first + 500]]).execute()
    if not StaffAccount.select().where(StaffAccount.username == USERNAME).exists():
        create_staff(USERNAME, PASSWORD, "leader", "压测组长", NOW)


def logged_in_client(url: str, redis_url: str, data_dir: str):
    """The real app on the bench database, its clock at NOW, and a leader logged in."""
    settings = Settings(wechat=WechatSettings(token="bench"), database=DatabaseSettings(url),
                        app=AppSettings(data_dir=data_dir, secret_key="bench-secret",
                                        log_level="ERROR"),  # no template ids: no warnings
                        redis=RedisSettings(url=redis_url, prefix="bxbench-admin:"))
    client = create_app(settings, clock=ManualClock(NOW)).test_client()
    token = TOKEN_RE.search(client.get("/admin/login").get_data(as_text=True)).group(1)
    answer = client.post("/admin/login", data={"username": USERNAME, "password": PASSWORD,
                                               "csrf_token": token})
    if answer.status_code != 302:
        sys.exit("admin_bench: could not log in")
    return client


def cases() -> list[tuple[str, str]]:
    """(label, path) of every page timed."""
    month = f"{REPORT_MONTH:%Y-%m}"
    middle = RepairOrder.get_by_id(RepairOrder.select(RepairOrder.id)
                                   .order_by(RepairOrder.id.desc()).scalar() // 2)
    engineer = (RepairOrder.select(RepairOrder.engineer)
                .where(RepairOrder.engineer.is_null(False))
                .order_by(RepairOrder.id.desc()).limit(1).scalar())   # one with recent work
    return [
        ("orders: first page", "/admin/orders"),
        ("orders: status closed", "/admin/orders?status=closed"),
        ("orders: status submitted", "/admin/orders?status=submitted"),
        ("orders: status suspended", "/admin/orders?status=suspended"),
        ("orders: one fault type", "/admin/orders?category=4"),
        ("orders: one engineer", f"/admin/orders?engineer={engineer}"),
        ("orders: a month's dates", f"/admin/orders?since={month}-01&until={month}-31"),
        ("orders: overdue", "/admin/orders?overdue=1"),
        ("orders: unrated", "/admin/orders?unrated=1"),
        ("orders: low score", "/admin/orders?low=1"),
        ("orders: low score + fault type", "/admin/orders?low=1&category=1"),
        ("orders: deep keyset page", f"/admin/orders?after={make_cursor(middle)}"),
        *search_cases(middle),
        ("dashboard: this month", "/admin/dashboard"),
        (f"dashboard: {month}", f"/admin/dashboard?month={month}"),
    ]


def search_cases(middle: RepairOrder) -> list[tuple[str, str]]:
    """(label, path) of the search box's cases: a number, a phone, a name, words (common, rare,
    nowhere: the whole window read) alone, with filters and from deep in the list."""
    reporter = User.get_by_id(middle.reporter_id)
    spaced = f"{middle.number[:2].lower()} {middle.number[2:10]} {middle.number[10:]}"
    return [
        ("orders: q 单号 (typed loosely)", f"/admin/orders?q={quote(spaced)}"),
        ("orders: q phone", f"/admin/orders?q={reporter.phone}"),
        ("orders: q phone + status closed", f"/admin/orders?q={reporter.phone}&status=closed"),
        ("orders: q name (shared by ~45)", f"/admin/orders?q={quote(reporter.name)}"),
        ("orders: q common word", f"/admin/orders?q={quote('漏水')}"),
        ("orders: q rare words", f"/admin/orders?q={quote('入住 钥匙')}"),
        ("orders: q word + status closed", f"/admin/orders?q={quote('门锁')}&status=closed"),
        ("orders: q word + fault type", f"/admin/orders?q={quote('异响')}&category=3"),
        ("orders: q nowhere (window read)", f"/admin/orders?q={quote('不存在的词')}"),
        ("orders: q nowhere, deep page",
         f"/admin/orders?q={quote('不存在的词')}&after={make_cursor(middle)}"),
        ("export: q word, CSV", f"/admin/orders/export.csv?q={quote('入住钥匙交接')}"
                                f"&since={REPORT_MONTH}"),
    ]


def time_pages(client, runs: int) -> None:
    """Each page once to warm up, then `runs` times; a line per page."""
    print(f"  {'page':<34} {'median':>8} {'p95':>8}   rows   (ms; {runs} runs, load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    for label, path in cases():
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"admin_bench: {path} answered {response.status_code}")
        body = response.get_data(as_text=True)
        rows = body.count("<tr>") - 1 if response.mimetype == "text/html" else body.count("\n") - 1
        times = []
        for _ in range(runs):
            started = clock.perf_counter()
            client.get(path).close()
            times.append((clock.perf_counter() - started) * 1000)
        p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
        slow = "  ← over target" if p95 > TARGET_MS else ""
        print(f"  {label:<34} {stats.median(times):8.1f} {p95:8.1f} {rows:6}{slow}")


def bench_database(name: str, url: str, build, args) -> None:
    """Open, build when needed, bring the indexes in line, prepare, time."""
    print(f"{name}: {url}")
    open_database(url)
    ensure_data(build, f"{DATA_VERSION}/{args.orders}/{args.months}m", args.rebuild)
    prepare()
    for change in sync_indexes():
        print(f"  index {change}")
    mark_repeats_now()
    if not is_sqlite():
        db.execute_sql("VACUUM ANALYZE")   # what autovacuum does after a bulk load
    else:   # the app never runs ANALYZE on SQLite: plan as it does (see README)
        db.execute_sql("DROP TABLE IF EXISTS sqlite_stat1")
    with tempfile.TemporaryDirectory() as data_dir:
        client = logged_in_client(url, args.redis_url, data_dir)
        time_pages(client, args.runs)
    db.close()


def main() -> None:
    parser = data_arguments(__doc__.splitlines()[0], 20, "timed requests per page")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    on_each_database(parser.parse_args(), bench_database)


if __name__ == "__main__":
    main()
