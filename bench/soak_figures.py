"""The soak run's figures, counted from outside: replies, the database, the emulator's records."""
from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Optional
from zoneinfo import ZoneInfo

import psycopg2

from soak_load import Reporter

ORDERS_SQL = """SELECT u.openid, o.number, o.status, o.dispatched_at, o.submitted_at
                FROM repair_order o
                JOIN users u ON u.id = o.reporter_id WHERE u.openid LIKE %s"""
NOTICES_SQL = "SELECT client_msg_id, kind, order_id, status FROM notification"
ZONE = ZoneInfo("Asia/Shanghai")   # the config's time zone: the app stores local times
OPEN_SQL = """SELECT (SELECT count(*) FROM repair_order WHERE status = 'submitted'),
                     (SELECT count(*) FROM notification WHERE status IN ('pending', 'sending'))"""


def percentile(values: list[float], share: float) -> Optional[float]:
    """The nearest-rank percentile (share 0.5, 0.99) of values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def query(url: str, sql: str, args: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()


def wait_settled(url: str, timeout: float) -> float:
    """Wait until no order waits for dispatch and no notice for delivery; seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if query(url, OPEN_SQL)[0] == (0, 0):
                break
        except psycopg2.Error:
            pass
        time.sleep(0.5)
    return time.monotonic() - started


@dataclass
class Figures:
    """Everything the table shows, for one run."""
    reporters: int
    turns: int
    turn_p50: float
    turn_p99: float
    outcomes: Counter
    unfinished: int
    orders: int
    lost: int
    doubled: int
    wrong_number: int
    undispatched: int
    notices_to_reporters: int
    notices_to_engineers: int
    duplicate_deliveries: int
    resends_absorbed: int
    dead_notices: int
    notice_p50: Optional[float]
    notice_p99: Optional[float]
    notice_max: Optional[float]
    seconds: float
    faults: Optional[dict] = None


def count(reporters: list[Reporter], database_url: str, prefix: str, templates: list[dict],
          resends: int, seconds: float, faults: Optional[dict] = None) -> Figures:
    """Compare what reporters were told with what the database and the emulator hold."""
    turns = [t for r in reporters for t in r.turns]
    latencies = [t.seconds for t in turns]
    orders = query(database_url, ORDERS_SQL, (prefix + "%",))
    per_reporter = Counter(row[0] for row in orders)
    numbers = {row[0]: row[1] for row in orders}
    notices = {row[0]: row for row in query(database_url, NOTICES_SQL)}
    delivered = Counter()   # (kind, order id) → deliveries
    first_to: dict[str, float] = {}
    new_job_times: dict[int, float] = {}
    for message in templates:
        notice = notices.get(str(message.get("client_msg_id")))
        kind, order_id = (notice[1], notice[2]) if notice else ("?", message.get("client_msg_id"))
        delivered[kind, order_id] += 1
        touser, at = message["touser"], float(message["time"])
        first_to[touser] = min(at, first_to.get(touser, at))
        if kind == "new_job":
            new_job_times[order_id] = min(at, new_job_times.get(order_id, at))
    delays = [first_to[r.openid] - r.confirmed_at for r in reporters
              if r.confirmed_at is not None and r.openid in first_to]
    if faults is not None:
        faults["last_new_job_after_faults"] = (max(new_job_times.values()) - faults["ended_at"]
                                               if new_job_times else None)
        faults.update(recovery(reporters, orders, new_job_times, faults["ended_at"]))
    return Figures(
        reporters=len(reporters), turns=len(turns),
        turn_p50=percentile(latencies, 0.5), turn_p99=percentile(latencies, 0.99),
        outcomes=Counter(t.outcome for t in turns),
        unfinished=sum(1 for r in reporters if not r.number),
        orders=len(orders), lost=sum(1 for r in reporters if per_reporter[r.openid] == 0),
        doubled=sum(1 for n in per_reporter.values() if n > 1),
        wrong_number=sum(1 for r in reporters if r.number and numbers.get(r.openid) != r.number),
        undispatched=sum(1 for row in orders if row[2] == "submitted"),
        notices_to_reporters=sum(n for (kind, _), n in delivered.items() if kind == "order_received"),
        notices_to_engineers=sum(n for (kind, _), n in delivered.items() if kind == "new_job"),
        duplicate_deliveries=sum(n - 1 for n in delivered.values() if n > 1),
        resends_absorbed=resends,
        dead_notices=sum(1 for row in notices.values() if row[3] == "dead"),
        notice_p50=percentile(delays, 0.5), notice_p99=percentile(delays, 0.99),
        notice_max=max(delays) if delays else None, seconds=seconds, faults=faults)


def recovery(reporters: list[Reporter], orders: list[tuple], new_job_times: dict,
             ended: float) -> dict:
    """How long after the faults ended their traces lasted: the last failed turn, the last
    dispatch of an order stored before the end, and the slowest dispatch of one stored after."""
    stamp = lambda moment: moment.replace(tzinfo=ZONE).timestamp()  # noqa: E731
    failed = [t.started + t.seconds for r in reporters for t in r.turns if t.outcome != "ok"]
    before = [stamp(row[3]) for row in orders if row[3] and stamp(row[4]) < ended]
    after = [stamp(row[3]) - stamp(row[4]) for row in orders if row[3] and stamp(row[4]) >= ended]
    return {"last_failed_turn": max(failed) - ended if failed else None,
            "backlog_dispatched": max(before) - ended if before else None,
            "slowest_dispatch_after": max(after) if after else None,
            "orders_before": len(before)}


def ms(value: Optional[float]) -> str:
    return "—" if value is None else f"{value * 1000:.0f} ms"


def table(f: Figures, label: str) -> str:
    """The figures as a Markdown table, with the target beside each."""
    errors = sum(n for outcome, n in f.outcomes.items() if outcome not in ("ok",))
    rows = [
        ("reporters (one-shot report, then 确认)", f"{f.reporters}", ""),
        ("turns", f"{f.turns} in {f.seconds:.0f} s", ""),
        ("turn p50 / p99", f"{ms(f.turn_p50)} / {ms(f.turn_p99)}", ""),
        ("failed turns (error text, busy, non-200, timeout, unexpected)",
         f"{errors} ({', '.join(f'{k} {v}' for k, v in sorted(f.outcomes.items()) if k != 'ok') or 'none'})",
         "0 without faults"),
        ("reporters without an order number", f"{f.unfinished}", "0"),
        ("orders created", f"{f.orders}", f"{f.reporters}"),
        ("lost (a reporter without an order)", f"{f.lost}", "0"),
        ("doubled (a reporter with two orders)", f"{f.doubled}", "0"),
        ("number told ≠ number stored", f"{f.wrong_number}", "0"),
        ("orders not dispatched", f"{f.undispatched}", "0"),
        ("notices to reporters (order_received)", f"{f.notices_to_reporters}", f"{f.reporters}"),
        ("dispatch notices to engineers (new_job)", f"{f.notices_to_engineers}", f"{f.reporters}"),
        ("duplicate deliveries", f"{f.duplicate_deliveries}", "0"),
        ("resends absorbed by client_msg_id", f"{f.resends_absorbed}", ""),
        ("notices given up (dead)", f"{f.dead_notices}", "0"),
        ("确认 → first template message p50 / p99", f"{ms(f.notice_p50)} / {ms(f.notice_p99)}",
         "p99 < 2 s" if not f.faults else ""),
        ("确认 → first template message, slowest", ms(f.notice_max), ""),
    ]
    if f.faults:
        rows += [(f"fault: {name}", value, "") for name, value in f.faults["log"]]
        seconds = lambda key: "—" if f.faults[key] is None else f"{f.faults[key]:.1f} s"  # noqa: E731
        rows += [
            ("last failed turn after the faults ended", seconds("last_failed_turn"), ""),
            (f"the {f.faults['orders_before']} orders stored before the faults ended: all "
             "dispatched within (database time, to the second)", seconds("backlog_dispatched"),
             "< 30 s"),
            ("orders stored after: slowest 确认 → dispatch (to the second)",
             seconds("slowest_dispatch_after"), "< 30 s"),
            ("last dispatch notice of the whole run, after the faults ended",
             seconds("last_new_job_after_faults"), ""),
        ]
        rows.append(("worker exits (supervisor restarted them)", f.faults["worker_exits"], ""))
    lines = [f"### {label}", "", "| figure | value | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)
