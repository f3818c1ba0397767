"""The measured scenarios: each seeds its users, warms up, measures, and checks what it changed."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import redis

import loadgen
import workload
from loadgen import Result

EXPECT_ECHO = "echo ok"
EXPECT_PHOTOS = "现场照片"     # reporter/ask_photos: the draft moved on to the photos step
EXPECT_SUBMITTED = "提交成功"  # reporter/submitted: the order was stored
SETTLE_SECONDS = 0.5          # let requests still in flight when wrk stopped finish


@dataclass
class Options:
    """How hard and how long to drive each scenario."""
    seconds: float = 10
    warmup: float = 3
    connections: int = 8
    threads: int = 2
    use_wrk: bool = True


class Bench:
    """Runs scenarios against the echo app and the real app sharing one Redis."""

    def __init__(self, opts: Options, tmp: Path, client: redis.Redis, database_url: str,
                 echo_url: str, app_url: str):
        self.opts, self.tmp, self.client, self.database_url = opts, tmp, client, database_url
        self.echo_url, self.app_url = echo_url, app_url
        self.echo_file: Path | None = None
        self.users = {"warm": 500, "main": 2000}
        self.notes: list[str] = []

    def _drive(self, url: str, files: dict[str, Path], expect: str) -> tuple[Result, int]:
        """Warm up, then measure; the measured result and the good replies of both runs."""
        o = self.opts
        warm = loadgen.run(url, files["warm"], expect, o.warmup, o.connections, o.threads,
                           o.use_wrk)
        main = loadgen.run(url, files["main"], expect, o.seconds, o.connections, o.threads,
                           o.use_wrk)
        time.sleep(SETTLE_SECONDS)
        if warm.bad or warm.socket_errors:
            self.notes.append(f"warm-up against {url}: {warm.bad} bad replies, "
                              f"{warm.socket_errors} socket errors {warm.samples[:1]}")
        return main, warm.good + main.good

    def echo(self) -> Result:
        """The baseline: the bare echo app, its requests re-used (it keeps no state)."""
        if self.echo_file is None:
            ids = workload.openids("echo", 20000)
            workload.seed_echo(self.client, ids)
            self.echo_file = workload.write_requests(self.tmp / "echo.txt", ids, "你好")
        result, _ = self._drive(self.echo_url, {"warm": self.echo_file, "main": self.echo_file},
                                EXPECT_ECHO)
        result.overrun = 0  # wrapping around is harmless for a stateless app
        return result

    def size_for(self, rate: float) -> None:
        """Seed twice the users the echo rate would need, so no user is sent twice."""
        self.users = {"warm": max(500, int(2 * rate * self.opts.warmup)),
                      "main": max(2000, int(2 * rate * self.opts.seconds))}

    def _stateful(self, scenario: str, step: str, content: str) -> tuple[dict, list[str]]:
        """Users with a draft waiting on `step`, and one request file per phase."""
        files, everyone = {}, []
        for phase, count in self.users.items():
            ids = workload.openids(f"{scenario}{phase}", count)
            users = workload.create_users(self.database_url, ids)
            workload.seed_state(self.client, users, step)
            files[phase] = workload.write_requests(self.tmp / f"{scenario}-{phase}.txt", ids,
                                                   content)
            everyone += ids
        return files, everyone

    def _check(self, label: str, done: int, good: int) -> str:
        """Turns the app completed vs good replies wrk saw (in-flight ones it did not see)."""
        slack = 2 * self.opts.connections
        ok = good <= done <= good + slack
        return (f"{label}: {done} done server-side, {good} good replies seen by the client "
                f"(≤ {slack} in flight at the stops) -> {'OK' if ok else 'MISMATCH'}")

    def conversation(self) -> Result:
        """A mid-conversation turn: the description moves each draft on to the photos step."""
        files, ids = self._stateful("conv", "description", workload.DESCRIPTION)
        result, good = self._drive(self.app_url, files, EXPECT_PHOTOS)
        steps = workload.draft_steps(self.client, ids)
        self.notes.append(self._check("conversation turns", steps["photos"], good)
                          + f"; drafts by step {dict(steps)}")
        return result

    def confirm(self) -> Result:
        """The 确认 turn: each full draft becomes a repair order in the database."""
        files, ids = self._stateful("confirm", "confirm", "确认")
        before = workload.count_orders(self.database_url)
        result, good = self._drive(self.app_url, files, EXPECT_SUBMITTED)
        orders = workload.count_orders(self.database_url) - before
        submitted = workload.draft_steps(self.client, ids)["gone"]
        line = self._check("确认 turns", orders, good)
        same = "=" if orders == submitted else "!="
        self.notes.append(f"{line}; repair orders in SQLite {orders} {same} drafts submitted "
                          f"{submitted}")
        return result
