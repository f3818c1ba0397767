"""`run.py simulate`: days of operation in minutes on the real code paths, then the invariants.

By default everything is throw-away: a fresh SQLite file in a temporary directory, Redis keys
under a prefix of their own (deleted afterwards) and an emulator on a free loopback port. With
--fill the run writes into the configured database instead (it must hold no orders yet), ending
today at midnight: `make run` then shows a week of demo orders, people, timelines and charts.
The world itself lives in wechat_bot/cli/simulation/.
"""
from __future__ import annotations

import secrets
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path

from models import JobRun, create_tables, db, open_database
from models.orders import RepairOrder
from models.shifts import plan_from_config
from models.statistics import Period
from wechat_bot.cli.simulation import claims, delivery, recount
from wechat_bot.cli.simulation.cast import Cast
from wechat_bot.cli.simulation.invariants import Breach, Facts, answered, owned
from wechat_bot.cli.simulation.journal import Journal
from wechat_bot.cli.simulation.report import DayRow, day_row, print_report
from wechat_bot.cli.simulation.world import Spec, World
from wechat_bot.clock import Clock, ManualClock
from wechat_bot.config import DatabaseSettings, Settings
from wechat_bot.redis_conn import close_embedded, connect_redis
from wechat_bot.sandbox.server import SandboxServer
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET


@dataclass
class Outcome:
    """A finished run: its days, the whole, the broken invariants and what people went through."""
    days: list[DayRow]
    total: DayRow
    breaches: list[Breach]
    journal: Journal

    def broken(self) -> set[str]:
        """The keys of the invariants that broke."""
        return {breach.invariant for breach in self.breaches}


def simulate(settings: Settings, args) -> int:
    """The command: run, print the report; 0 when every invariant holds, 1 when one broke."""
    spec = Spec(days=args.days, reporters=args.reporters, engineers=args.engineers,
                no_shows=args.no_shows, paper=args.paper, seed=args.seed)
    problem = _unknown_shifts(settings, spec)
    if problem:
        print(f"simulate: {problem}")
        return 2
    with isolated(settings, args.fill) as (sim_settings, redis_client):
        if args.fill:
            if RepairOrder.select().exists():
                print("simulate --fill: the configured database already holds orders; "
                      "it fills only an empty one (run without --fill for a throw-away run)")
                return 2
            spec = _before_today(settings, spec)
        outcome = run_simulation(sim_settings, spec, redis_client)
    print_report(sys.stdout, title(spec, args.fill), outcome.days, outcome.total,
                 outcome.breaches)
    return 1 if outcome.breaches else 0


def _unknown_shifts(settings: Settings, spec: Spec) -> str:
    """What is wrong with --engineers day=2,night=3 ('' when every name is a shift)."""
    shifts = [shift.name for shift in plan_from_config(settings.shifts).shifts]
    unknown = sorted(set(spec.engineers) - set(shifts)) if isinstance(spec.engineers, dict) else []
    return (f"--engineers names no shift of [shifts]: {', '.join(unknown)} "
            f"(shifts: {', '.join(shifts)})") if unknown else ""


def _before_today(settings: Settings, spec: Spec) -> Spec:
    """--fill: the days up to today's midnight; the job bookkeeping starts over before them."""
    JobRun.delete().execute()  # a claim from a later run would stop the simulated jobs
    today = Clock(settings.app.timezone).now().date()
    return replace(spec, start=datetime.combine(today, time()) - timedelta(days=spec.days))


@contextmanager
def isolated(settings: Settings, fill: bool):
    """The settings to simulate with, and a Redis client; cleaned up afterwards."""
    with tempfile.TemporaryDirectory(prefix="baoxiu-simulate-") as tmp:
        url = settings.database_url if fill else f"sqlite:///{Path(tmp) / 'simulation.db'}"
        prefix = f"{settings.redis.prefix}sim-{secrets.token_hex(4)}:"
        quiet = replace(settings.app, log_level="ERROR",
                        data_dir=settings.app.data_dir if fill else tmp)
        ours = replace(settings, database=DatabaseSettings(url), app=quiet,
                       redis=replace(settings.redis, prefix=prefix))
        client = connect_redis(settings.redis.url, Path(tmp))
        open_database(ours.database_url)
        create_tables()
        try:
            yield ours, client
        finally:
            for key in client.scan_iter(match=f"{prefix}*", count=500):
                client.delete(key)
            close_embedded(client)
            db.close()


def run_simulation(settings: Settings, spec: Spec, redis_client) -> Outcome:
    """The world against an emulator of its own, minute by minute; then every invariant."""
    clock = ManualClock(spec.start, settings.app.timezone)
    with SandboxServer(settings.wechat.app_id, SANDBOX_SECRET, clock=clock) as sandbox:
        wechat = replace(settings.wechat, app_secret="", api_base_url=sandbox.url)
        world = World(replace(settings, wechat=wechat), spec, redis_client, sandbox, clock)
        cast = Cast(world)
        cast.hire()
        days: list[DayRow] = []
        world.run(cast.plan_day,
                  lambda day: days.append(day_row(day, clock.now(), settings.sla)))
        breaches = check_all(world)
        total = day_row(spec.start.date(), clock.now(), settings.sla, "total",
                        Period(spec.start, world.end))
    return Outcome(days, total, breaches, world.journal)


def check_all(world: World) -> list[Breach]:
    """Every invariant over the database, the outbox, the emulator and the journal."""
    facts, journal = Facts(world.clock.now(), world.settings.sla), world.journal
    first, end = world.spec.start.date(), world.end
    count = (end.date() - first).days + (end.time() > time())  # a day begun counts
    days = [first + timedelta(days=n) for n in range(count)]
    return [*owned(facts), *claims.replies(facts, journal), *claims.timeline(facts),
            *delivery.numbers(facts, journal), *delivery.delivered(facts, journal),
            *recount.statistics(facts, journal, world.settings.sla, days), *answered(journal)]


def title(spec: Spec, fill: bool) -> str:
    """The first line of the report: what was simulated."""
    where = "into the configured database" if fill else "on a throw-away database"
    staffing = (", ".join(f"{name} {n}" for name, n in spec.engineers.items())
                if isinstance(spec.engineers, dict) else spec.engineers)
    return (f"simulated {spec.days} days from {spec.start:%Y-%m-%d} {where}: "
            f"{spec.reporters} reports a day, {staffing} engineers a shift "
            f"({spec.no_shows:.0%} never answer), {spec.paper:.0%} completed on paper, "
            f"seed {spec.seed}\n")
