"""The measured scenarios: seeding their users, warming up, interleaved rounds, outcome checks.

Each scenario's measured time is cut into short slices run in rounds (echo, conversation,
确认, the order rotating each round), so drift and other load on the machine hit all three alike.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

import loadgen
import workload
from loadgen import Result
from servers import Child

EXPECT_ECHO = "echo ok"
EXPECT_SUMMARY = "请核对"      # reporter/summary: the description was the last slot missing
EXPECT_SUBMITTED = "提交成功"  # reporter/submitted: the order was stored
PAUSE = 0.3                   # between slices, so one slice's in-flight tail stays its own
HEADROOM = 3                  # users seeded per run: this many times what its warm-up rate needs


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
    step: str = ""           # the step the seeded drafts wait on (real app only)
    content: str = ""        # what every request says

    def result(self) -> Result:
        """All measured slices as one result."""
        return loadgen.combine(self.slices)


class Bench:
    """Drives the echo app and the real app, which share one Redis."""

    def __init__(self, opts: Options, tmp: Path, client: redis.Redis, database_url: str,
                 echo: tuple[str, Child], app: tuple[str, Child]):
        self.opts, self.tmp, self.client, self.database_url = opts, tmp, client, database_url
        self.echo_server, self.app_server = echo, app
        self.notes: list[str] = []

    def _redis_cpu(self) -> float:
        info = self.client.info("cpu")
        return info["used_cpu_user"] + info["used_cpu_sys"]

    def _drive(self, scenario: Scenario, index: int, seconds: float) -> Result:
        """One wrk run over the scenario's index-th file, with the CPU the servers spent."""
        o = self.opts
        server_cpu, redis_cpu = scenario.server.cpu_seconds(), self._redis_cpu()
        result = loadgen.run(scenario.url, scenario.files[index], scenario.expect, seconds,
                             o.connections, o.threads, o.use_wrk)
        result.server_cpu = scenario.server.cpu_seconds() - server_cpu
        result.redis_cpu = self._redis_cpu() - redis_cpu
        scenario.good += result.good
        time.sleep(PAUSE)
        return result

    def echo(self) -> Scenario:
        """The baseline; its requests are re-used freely (it keeps no state)."""
        ids = workload.openids("echo", 20000)
        workload.seed_echo(self.client, ids)
        path = workload.write_requests(self.tmp / "echo.txt", ids, "你好")
        return Scenario("echo", *self.echo_server, EXPECT_ECHO, [path] * (self.opts.rounds + 1))

    def stateful(self, name: str, step: str, content: str, expect: str) -> Scenario:
        """A scenario of the real app whose users each have a draft waiting on `step`."""
        return Scenario(name, *self.app_server, expect, [], step=step, content=content)

    def seed(self, scenario: Scenario, rate: float, seconds: float) -> None:
        """One more request file: fresh users, enough that none is sent twice at `rate`."""
        count = max(300, int(HEADROOM * rate * seconds))
        index = len(scenario.files)
        ids = workload.openids(f"{scenario.step}{index}", count)
        users = workload.create_users(self.database_url, ids)
        chosen = workload.category(self.database_url)
        workload.seed_state(self.client, users, workload.draft(scenario.step, chosen))
        scenario.files.append(workload.write_requests(
            self.tmp / f"{scenario.step}-{index}.txt", ids, scenario.content))
        scenario.ids += ids

    def warm_up(self, scenario: Scenario) -> float:
        """A first run that is not measured (worker caches, connections); its req/s."""
        result = self._drive(scenario, 0, self.opts.warmup)
        if result.bad or result.socket_errors:
            self.notes.append(f"warm-up of {scenario.name}: {result.bad} bad replies, "
                              f"{result.socket_errors} socket errors {result.samples[:1]}")
        return result.rps

    def rounds(self, scenarios: list[Scenario]) -> None:
        """The measured slices, interleaved; notes the per-round ratios to the echo."""
        for index in range(1, self.opts.rounds + 1):
            shift = (index - 1) % len(scenarios)
            for scenario in scenarios[shift:] + scenarios[:shift]:
                scenario.slices.append(self._drive(scenario, index, self.opts.slice_seconds))
        echo, *others = scenarios
        for other in others:
            ratios = " ".join(f"{o.rps / e.rps:.2f}" for o, e in zip(other.slices, echo.slices))
            self.notes.append(f"{other.name} × echo per round: {ratios}")

    def _check(self, label: str, done: int, good: int) -> str:
        """Turns the app completed vs good replies wrk saw (it misses those in flight at stops)."""
        slack = (self.opts.rounds + 1) * self.opts.connections
        ok = good <= done <= good + slack
        return (f"{label}: {done} done server-side, {good} good replies seen by the client "
                f"(≤ {slack} in flight at the stops) -> {'OK' if ok else 'MISMATCH'}")

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
        self.notes.append(f"{line}; repair orders in SQLite {orders} {same} drafts submitted "
                          f"{submitted}")

    def run_all(self) -> list[Scenario]:
        """Warm-ups (each sizes its scenario's seeding), interleaved rounds, checks."""
        step = lambda text: print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)  # noqa
        echo = self.echo()
        step("warm-up: echo")
        rate = self.warm_up(echo)
        conversation = self.stateful("conversation turn", "description", workload.DESCRIPTION,
                                     EXPECT_SUMMARY)
        confirm = self.stateful("确认 turn", "confirm", "确认", EXPECT_SUBMITTED)
        orders_before = workload.count_orders(self.database_url)
        for scenario in (conversation, confirm):
            step(f"warm-up: {scenario.name}")
            self.seed(scenario, rate, self.opts.warmup)
            own_rate = self.warm_up(scenario)
            for _ in range(self.opts.rounds):
                self.seed(scenario, own_rate, self.opts.slice_seconds)
        step(f"{self.opts.rounds} rounds of {self.opts.slice_seconds:g} s per scenario "
             f"({len(conversation.ids)} + {len(confirm.ids)} users seeded)")
        self.rounds([echo, conversation, confirm])
        self.check_conversation(conversation)
        self.check_confirm(confirm, orders_before)
        return [echo, conversation, confirm]
