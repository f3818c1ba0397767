"""The measured scenarios: seeding their users, warming up, interleaved rounds, outcome checks.

Each scenario's measured time is cut into short slices run in rounds (the echo, WeRoBot and the
real app's turns, the order rotating each round), so drift and other load on the machine hit
them all alike, and each turn is compared with its reference's slice of the same round.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import redis

import loadgen
import workload
from loadgen import Result
from servers import Child

EXPECT_ECHO = "echo ok"
EXPECT_STARTED = "开始报修"    # reporter/intro: 报修 started a report (WeRoBot says the same)
EXPECT_SUMMARY = "请核对"      # reporter/summary: the description was the last slot missing
EXPECT_SUBMITTED = "提交成功"  # reporter/submitted: the order was stored
PAUSE = 0.3                   # between slices, so one slice's in-flight tail stays its own
HEADROOM = 3                  # users seeded per run: this many times what its warm-up rate needs
SHARED_USERS = 20000          # the echo's and WeRoBot's users (they keep no per-message state)


@dataclass
class Options:
    """How hard and how long to drive each scenario."""
    seconds: float = 10      # measured time per scenario, over all rounds
    rounds: int = 10
    warmup: float = 3
    connections: int = 8
    threads: int = 2
    use_wrk: bool = True
    own_redis: bool = False  # start a private redis-server even when 6379 answers
    workers: int = 2         # gunicorn -w for the app and both peers alike

    @property
    def slice_seconds(self) -> float:
        """One scenario's measured time in one round."""
        return self.seconds / self.rounds


@dataclass
class Scenario:
    """One kind of request: where it goes, what a good reply contains, its request files."""
    name: str
    url: str
    server: Child
    expect: str
    files: list[Path]        # the warm-up's first, then one per round
    ids: list[str] = field(default_factory=list)
    slices: list[Result] = field(default_factory=list)
    good: int = 0            # good replies, warm-up included
    content: str = ""        # what every request says
    seed_users: Optional[Callable[[list[str]], None]] = None  # what each user had before
    tag: str = ""            # names its users and request files

    def result(self) -> Result:
        """All measured slices as one result."""
        return loadgen.combine(self.slices)

    def ratios(self, reference: "Scenario") -> list[float]:
        """Per round: this scenario's req/s ÷ the reference's in the same round."""
        return [s.rps / r.rps for s, r in zip(self.slices, reference.slices) if r.rps]


class Bench:
    """Drives the echo, WeRoBot and the real app (on one database), which share one Redis."""

    def __init__(self, opts: Options, tmp: Path, client: redis.Redis, database_url: str,
                 peers: dict[str, tuple[str, Child]], app: tuple[str, Child]):
        self.opts, self.tmp, self.client, self.database_url = opts, tmp, client, database_url
        self.peers, self.app_server = peers, app
        self.notes: list[str] = []
        self.name = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"

    def _redis_cpu(self) -> float:
        info = self.client.info("cpu")
        return info["used_cpu_user"] + info["used_cpu_sys"]

    def _drive(self, scenario: Scenario, index: int, seconds: float) -> Result:
        """One wrk run over the scenario's index-th file, with the CPU the servers spent."""
        o = self.opts
        server_cpu, redis_cpu = scenario.server.cpu_seconds(), self._redis_cpu()
        idle, ticks = loadgen.machine_ticks()
        result = loadgen.run(scenario.url, scenario.files[index], scenario.expect, seconds,
                             o.connections, o.threads, o.use_wrk)
        result.server_cpu = scenario.server.cpu_seconds() - server_cpu
        result.redis_cpu = self._redis_cpu() - redis_cpu
        idle_after, ticks_after = loadgen.machine_ticks()
        result.machine_idle, result.machine_ticks = idle_after - idle, ticks_after - ticks
        scenario.good += result.good
        time.sleep(PAUSE)
        return result

    def peer(self, name: str, kind: str, content: str, expect: str, seed) -> Scenario:
        """A stateless peer's scenario; its requests are re-used freely (no dedup there)."""
        ids = workload.openids(f"{kind}{self.name}", SHARED_USERS)
        seed(self.client, ids)
        path = workload.write_requests(self.tmp / f"{kind}-{self.name}.txt", ids, content)
        return Scenario(name, *self.peers[kind], expect, [path] * (self.opts.rounds + 1))

    def turn(self, name: str, tag: str, content: str, expect: str,
             seed_users: Optional[Callable[[list[str]], None]]) -> Scenario:
        """A scenario of the real app; `seed_users` leaves what each user had before."""
        return Scenario(name, *self.app_server, expect, [], content=content,
                        seed_users=seed_users, tag=tag)

    def returning(self, ids: list[str]) -> None:
        """Reporters seen before: their users row and cached profile, no report open."""
        workload.seed_profiles(self.client, workload.create_users(self.database_url, ids))

    def with_draft(self, step: str) -> Callable[[list[str]], None]:
        """Returning reporters whose report waits on `step`."""
        def seed(ids: list[str]) -> None:
            users = workload.create_users(self.database_url, ids)
            chosen = workload.category(self.database_url)
            workload.seed_state(self.client, users, workload.draft(step, chosen))
        return seed

    def seed(self, scenario: Scenario, rate: float, seconds: float) -> None:
        """One more request file: fresh users, enough that none is sent twice at `rate`."""
        count = max(300, int(HEADROOM * rate * seconds))
        index = len(scenario.files)
        ids = workload.openids(f"{scenario.tag}{self.name}{index}", count)
        if scenario.seed_users:
            scenario.seed_users(ids)
        scenario.files.append(workload.write_requests(
            self.tmp / f"{scenario.tag}-{self.name}-{index}.txt", ids, scenario.content))
        scenario.ids += ids

    def warm_up(self, scenario: Scenario) -> float:
        """A first run that is not measured (worker caches, connections); its req/s."""
        result = self._drive(scenario, 0, self.opts.warmup)
        if result.bad or result.socket_errors:
            self.notes.append(f"warm-up of {scenario.name}: {result.bad} bad replies, "
                              f"{result.socket_errors} socket errors {result.samples[:1]}")
        return result.rps

    def rounds(self, scenarios: list[Scenario]) -> None:
        """The measured slices, interleaved."""
        for index in range(1, self.opts.rounds + 1):
            shift = (index - 1) % len(scenarios)
            for scenario in scenarios[shift:] + scenarios[:shift]:
                scenario.slices.append(self._drive(scenario, index, self.opts.slice_seconds))

    def note_ratios(self, scenario: Scenario, reference: Scenario, label: str) -> None:
        """The per-round ratios behind a median, so a reader sees their spread."""
        ratios = " ".join(f"{r:.2f}" for r in scenario.ratios(reference))
        self.notes.append(f"{scenario.name} × {label} per round: {ratios}")

    def _check(self, label: str, done: int, good: int) -> str:
        """Turns the app completed vs good replies wrk saw (it misses those in flight at stops)."""
        slack = (self.opts.rounds + 1) * self.opts.connections
        ok = good <= done <= good + slack
        return (f"{label}: {done} done server-side, {good} good replies seen by the client "
                f"(≤ {slack} in flight at the stops) -> {'OK' if ok else 'MISMATCH'}")

    def check_started(self, scenario: Scenario) -> None:
        """Every 报修 turn left a draft waiting for the description."""
        steps = workload.draft_steps(self.client, scenario.ids)
        self.notes.append(self._check(scenario.name, steps["description"], scenario.good)
                          + f"; drafts by step {dict(steps)}")

    def check_first_contact(self, scenario: Scenario) -> None:
        """As check_started, and how many users rows the first contacts wrote."""
        self.check_started(scenario)
        rows = workload.count_users(self.database_url, scenario.ids)
        self.notes.append(f"{scenario.name}: {rows} users rows written in {self.name} "
                          f"(a row is written when first needed: 确认, 绑定, a photo ...)")

    def check_conversation(self, scenario: Scenario) -> None:
        """Every conversation turn moved its draft on to the summary."""
        steps = workload.draft_steps(self.client, scenario.ids)
        self.notes.append(self._check("conversation turns", steps["confirm"], scenario.good)
                          + f"; drafts by step {dict(steps)}")

    def check_confirm(self, scenario: Scenario, orders_before: int) -> None:
        """Every 确认 turn stored exactly one repair order."""
        orders = workload.count_orders(self.database_url) - orders_before
        submitted = workload.draft_steps(self.client, scenario.ids)["gone"]
        line = self._check("确认 turns", orders, scenario.good)
        same = "=" if orders == submitted else "!="
        self.notes.append(f"{line}; repair orders in {self.name} {orders} {same} drafts "
                          f"submitted {submitted}")

    def run_all(self) -> dict[str, Scenario]:
        """Warm-ups (each sizes its scenario's seeding), interleaved rounds, checks."""
        step = lambda text: print(f"  {time.strftime('%H:%M:%S')} {self.name}: {text}",  # noqa
                                  flush=True)
        runs = {
            "echo": self.peer("echo (bare Flask + wechatpy)", "echo", "你好", EXPECT_ECHO,
                              workload.seed_echo),
            "werobot": self.peer("WeRoBot + RedisStorage, 报修", "werobot", "报修",
                                 EXPECT_STARTED, workload.seed_werobot),
            "returning": self.turn("returning user: 报修", "back", "报修", EXPECT_STARTED,
                                   self.returning),
            "first": self.turn("first contact: 报修", "new", "报修", EXPECT_STARTED, None),
            "conversation": self.turn("conversation turn", "description",
                                      workload.DESCRIPTION, EXPECT_SUMMARY,
                                      self.with_draft("description")),
            "confirm": self.turn("确认 turn (writes the order)", "confirm", "确认",
                                 EXPECT_SUBMITTED, self.with_draft("confirm")),
        }
        step(f"warm-up: {runs['echo'].name}")
        rate = self.warm_up(runs["echo"])   # the fastest: enough users for any turn
        step(f"warm-up: {runs['werobot'].name}")
        self.warm_up(runs["werobot"])
        orders_before = workload.count_orders(self.database_url)
        for key in ("returning", "first", "conversation", "confirm"):
            scenario = runs[key]
            step(f"warm-up: {scenario.name}")
            self.seed(scenario, rate, self.opts.warmup)
            own_rate = self.warm_up(scenario)
            for _ in range(self.opts.rounds):   # as fast as the echo at most: none sent twice
                self.seed(scenario, max(own_rate, rate), self.opts.slice_seconds)
        users = sum(len(runs[k].ids) for k in ("returning", "first", "conversation", "confirm"))
        step(f"{self.opts.rounds} rounds of {self.opts.slice_seconds:g} s per scenario "
             f"({users} app users)")
        self.rounds(list(runs.values()))
        echo, werobot = runs["echo"], runs["werobot"]
        self.note_ratios(werobot, echo, "echo")
        self.note_ratios(runs["returning"], werobot, "WeRoBot")
        for key in ("first", "conversation", "confirm"):
            self.note_ratios(runs[key], echo, "echo")
        self.check_started(runs["returning"])
        self.check_first_contact(runs["first"])
        self.check_conversation(runs["conversation"])
        self.check_confirm(runs["confirm"], orders_before)
        return runs
