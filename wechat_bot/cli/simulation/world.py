"""The simulated world: the real app, worker and clock jobs on a manual clock, and an agenda of
what people do when. Time moves a minute at a time: first what people do in that minute, then
the scheduled jobs due (through the worker's own scheduler, so each fires as it would there)
and worker rounds until it is idle, then everyone reads the template messages on their phones."""
from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Optional, Union

from models import create_tables, open_database
from models.seed import seed_demo
from wechat_bot import create_app
from wechat_bot.background.worker import Worker
from wechat_bot.cli.chat_client import WechatSigner
from wechat_bot.cli.simulation.journal import Journal
from wechat_bot.cli.simulation.wire import Browser, Inbox, Phone
from wechat_bot.clock import ManualClock
from wechat_bot.config import Settings

MINUTE = timedelta(minutes=1)
START = datetime(2026, 11, 30)  # a Monday: a run with the same seed is the same week


@dataclass(frozen=True)
class Spec:
    """The world's size and temper; the command line sets the first six."""
    days: int = 7
    reporters: int = 30          # reports a day
    engineers: Union[int, dict] = 2   # repair engineers per shift, or by shift name
    no_shows: float = 0.25       # share of engineers who never answer
    paper: float = 0.1           # share of jobs completed on paper, recorded by the desk
    seed: int = 1
    supervisors: int = 0         # supervisors in WeChat (a fresh installation has none)
    start: datetime = START
    hours: int = 0               # a shorter run (tests): this many hours instead of the days


class World:
    """The app and its worker on one manual clock, the people's phones, and the agenda."""

    def __init__(self, settings: Settings, spec: Spec, redis_client, sandbox,
                 clock: ManualClock):
        self.settings, self.spec, self.sandbox, self.clock = settings, spec, sandbox, clock
        self.rng = random.Random(spec.seed)
        self.journal = Journal()
        open_database(settings.database_url)
        create_tables()
        seed_demo()
        self.app = create_app(settings, clock=self.clock, redis_client=redis_client)
        self.web = self.app.test_client()
        self.worker = Worker(settings, redis_client, self.clock)
        wx = settings.wechat
        self.signer = WechatSigner(wx.token, wx.app_id, wx.encoding_aes_key,
                                   "safe" if wx.encoding_aes_key else "plain")
        self.inbox = Inbox(sandbox.state, settings.templates, self.clock, self.journal)
        self.actors: dict[str, object] = {}
        self.desk = None          # the back office's clerk (cast.py hires one)
        self._agenda: list = []
        self._order = itertools.count()

    def engineers_on(self, shift: str) -> int:
        """How many repair engineers work `shift`."""
        staffing = self.spec.engineers
        return staffing.get(shift, 0) if isinstance(staffing, dict) else staffing

    @property
    def end(self) -> datetime:
        return self.spec.start + timedelta(hours=self.spec.hours or 24 * self.spec.days)

    def phone(self, openid: str, actor=None) -> Phone:
        """A WeChat user's phone; the actor (if any) reads the messages it receives."""
        if actor is not None:
            self.actors[openid] = actor
        return Phone(self.web, self.signer, self.clock, self.journal, openid)

    def browser(self, username: str, password: str) -> Browser:
        """A back-office session of its own (its own cookies)."""
        return Browser(self.app.test_client(), self.clock, self.journal, username, password)

    def at(self, when: datetime, action: Callable[[], object]) -> None:
        """Do `action` at `when` (at once if that has passed)."""
        heapq.heappush(self._agenda, (max(when, self.clock.now()), next(self._order), action))

    def after(self, minutes: float, action: Callable[[], object]) -> None:
        """Do `action` so many minutes from now (to the second, as WeChat times are)."""
        self.at(self.clock.now() + timedelta(seconds=round(minutes * 60)), action)

    def run(self, plan_day: Callable[[date], None],
            end_of_day: Optional[Callable[[date], None]] = None) -> None:
        """Every minute of every day; plan_day at each midnight, end_of_day after each day."""
        plan_day(self.clock.now().date())  # the first day, from whenever the run starts
        while self.clock.now() < self.end:
            if self.clock.now().time() == time(0) and self.clock.now() > self.spec.start:
                plan_day(self.clock.now().date())
            self.minute()
            if self.clock.now().time() == time(0) and end_of_day:
                end_of_day(self.clock.now().date() - timedelta(days=1))
        self.settle()

    def minute(self) -> None:
        """What people do in the coming minute, then the worker and the jobs at its end."""
        until = self.clock.now() + MINUTE
        while self._agenda and self._agenda[0][0] < until:
            when, _, action = heapq.heappop(self._agenda)
            self.clock.current = max(self.clock.current, when)
            action()
        self.clock.current = until
        self.work()

    def work(self) -> None:
        """The jobs now due, worker rounds until idle; then the phones are read. (A webhook
        turn wakes the worker at once; here it comes at the end of the minute, within the
        poll interval a real worker keeps anyway.)"""
        self.worker.scheduler.run_due(self.clock.now())
        self.worker.run_until_idle()
        self.inbox.hand_out(self.actors.get)

    def settle(self) -> None:
        """After the last minute: let the worker send what is still due."""
        for _ in range(3):
            self.work()
