"""`run.py simulate`: a staffed morning holds every invariant; each invariant breaks, naming the
orders, when one of the project's rules is broken on purpose; the command prints its days and
exits 1 exactly when an invariant broke."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers import followups, reporter
from models import statistics_sql
from models.catalogue import Device
from models import open_database
from models.lifecycle import COMPLETED
from models.notifications import mark_sent
from models.orders import RepairOrder
from models.seed import seed_demo
from models.workflow import fire
from tests.cli.test_cli import ROOT, config_file
from tests.conftest import make_settings
from wechat_bot.background.dispatch import Dispatcher
from wechat_bot.background.outbox import Outbox
from wechat_bot.cli.simulate import run_simulation
from wechat_bot.cli.simulation.world import Spec
from wechat_bot.wechat_api.notify import Notifier

# A morning (06:00-12:00: the night shift's end, the handover, the day shift's start), three
# engineers a shift who all answer (one rejecting leaves two), a supervisor, no paper jobs.
STAFFED = Spec(days=1, hours=6, start=datetime(2026, 11, 30, 6), reporters=40, engineers=3,
               no_shows=0, paper=0, supervisors=1, seed=7)


@pytest.fixture
def simulate(tmp_path, database_url, database, redis_db):
    """Run a world on the test database and Redis; its devices are out of warranty (orders for
    a vendor wait for the desk's completion form, which is built on another branch)."""
    settings = make_settings(tmp_path, database_url)

    def run(spec: Spec = STAFFED):
        seed_demo()
        Device.update(warranty_end=date(2020, 1, 1)).execute()
        return run_simulation(settings, spec, redis_db)
    return run


def test_a_staffed_morning_holds_every_invariant(simulate):
    outcome = simulate()
    assert outcome.breaches == []
    said = [s.text.split()[0] for s in outcome.journal.said if s.text]
    for word in ("报修", "确认", "1", "到达", "完成", "催单", "统计"):
        assert word in said, word  # the run did what the broken rules below need
    assert RepairOrder.select().where(RepairOrder.rating.is_null(False)).count() >= 1
    assert outcome.total.counters.received >= 10
    assert outcome.total.counters.completed >= 5


def _queue_silently(self, order, decision, now, actor=None, shift=None):
    if order.queued_at is None:  # every decision becomes the queue, and nobody hears of it
        fire(order, "queue", None, now, note="暂无合适的维修人员，等待人工派单")


def _no_number(compose):
    def composed(self, note):
        data = compose(self, note)
        return {k: ("BX000000000000" if k == "character_string1" and note.kind == "accepted"
                    else v) for k, v in data.items()}
    return composed


def _drop_progress(deliver):
    def delivering(self, note):
        if note.kind == "progress":
            return mark_sent(note, 1, self.clock.now())  # says sent, never went out
        return deliver(self, note)
    return delivering


def _queue_twice(queue):
    def queueing(self, kind, recipient, order, now, **context):
        if kind == "accepted":
            queue(self, kind, recipient, order, now, **context)
        return queue(self, kind, recipient, order, now, **context)
    return queueing


BROKEN_RULES = {
    "owned": lambda mp: mp.setattr(Dispatcher, "apply", _queue_silently),
    # 催单 says the supervisor was reminded, and nothing is sent
    "claims": lambda mp: mp.setattr(followups, "_notify_urge", lambda turn, order: "supervisor"),
    "numbers": lambda mp: mp.setattr(Notifier, "compose", _no_number(Notifier.compose)),
    "delivery": lambda mp: mp.setattr(Outbox, "deliver", _drop_progress(Outbox.deliver)),
    "delivery twice": lambda mp: mp.setattr(Notifier, "queue", _queue_twice(Notifier.queue)),
    "statistics": lambda mp: mp.setattr(statistics_sql, "DONE_STATES", (COMPLETED,)),
    "answered": lambda mp: mp.setitem(reporter.STEP_HANDLERS, "phone",
                                      lambda turn, text: turn.say("reporter/bad_phone")),
}
EXPECTED = {"owned": "nobody was told", "claims": "nobody was sent anything",
            "numbers": "does not name the order", "delivery": "never reached the phone",
            "delivery twice": "queued 2 times", "statistics": "the events say",
            "answered": "report not stored"}


@pytest.mark.parametrize("rule", sorted(BROKEN_RULES))
def test_a_broken_rule_breaks_its_invariant_naming_the_orders(simulate, monkeypatch, rule):
    BROKEN_RULES[rule](monkeypatch)
    outcome = simulate()
    invariant = rule.split()[0]
    found = [b for b in outcome.breaches if b.invariant == invariant]
    assert found, outcome.breaches[:5]
    assert any(EXPECTED[rule] in b.detail for b in found), found[:5]
    if invariant not in ("statistics", "answered"):
        assert all(re.fullmatch(r"BX\d{12,}", b.order) for b in found), found[:5]


@pytest.fixture(scope="module")
def command(tmp_path_factory):
    """`run.py simulate` for a day of the default world on a throw-away database (the Redis
    of the tests when there is one, under a key prefix of its own)."""
    config = config_file(tmp_path_factory.mktemp("simulate"))
    return simulate_command(config, "--days", "1", "--reporters", "12", "--paper", "0")


def test_the_command_prints_the_days_and_exits_1_exactly_when_an_invariant_broke(command):
    out = command.stdout
    assert command.stderr == "" and "11-30 周一" in out and "\ntotal " in out
    verdicts = re.findall(r"^  (ok|BROKEN) ", out, re.M)
    assert len(verdicts) == 6
    assert command.returncode == (1 if "BROKEN" in verdicts else 0)
    for block in re.findall(r"^  BROKEN .*\n((?:          .*\n)+)", out, re.M):
        assert re.search(r"BX\d{12}", block) or "sim_desk" in block or " - " in block


def test_a_day_of_the_default_world_holds_every_invariant(command):
    assert command.returncode == 0, command.stdout


def simulate_command(config: str, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, WECHAT_BOT_REDIS_URL=os.environ.get("REDIS_URL", ""))
    return subprocess.run([sys.executable, "run.py", "simulate", "--config", config, *options],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("options, problem", [
    (("--no-shows", "2"), "--no-shows: a share between 0 and 1, not '2'"),
    (("--days", "0"), "--days: a whole number of at least 1, not '0'"),
    (("--engineers", "dya=2"), "--engineers names no shift of [shifts]: dya (shifts: day, night)"),
])
def test_bad_options_are_named_and_nothing_runs(tmp_path, options, problem):
    result = simulate_command(config_file(tmp_path), *options)
    assert result.returncode == 2 and problem in result.stdout + result.stderr


def test_fill_writes_the_days_before_today_into_an_empty_configured_database(tmp_path):
    config = config_file(tmp_path)
    first = simulate_command(config, "--fill", "--days", "1", "--reporters", "4", "--paper", "0")
    assert first.returncode in (0, 1) and "into the configured database" in first.stdout
    open_database(f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    yesterday = datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)
    days = {order.submitted_at.date() for order in RepairOrder.select()}
    assert days == {yesterday}
    again = simulate_command(config, "--fill", "--days", "1")
    assert again.returncode == 2 and "already holds orders" in again.stdout
