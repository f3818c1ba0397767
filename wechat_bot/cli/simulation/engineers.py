"""Simulated engineers: take the jobs their phone announces, go, repair, and say so in chat,
one job at a time; some turn a job down, hand it on or wait for parts; a no-show never answers;
a paper job is written on the 派工单 and the desk records its completion later."""
from __future__ import annotations

from collections import deque
from typing import Optional

from wechat_bot.cli.simulation.journal import Delivery
from wechat_bot.cli.simulation.wire import done_on, number_in

REJECT_SHARE, TRANSFER_SHARE, SUSPEND_SHARE = 0.05, 0.03, 0.04
TRAVEL_MINUTES, WORK_MINUTES = (3, 15), (10, 90)
SOLUTIONS = ("更换阀芯", "更换灯管", "重新接线", "更换门锁", "清理堵塞", "调试恢复正常",
             "更换配件")


class Engineer:
    """A member of the repair team (or a duty officer for matters) with a WeChat phone."""

    def __init__(self, world, openid: str, name: str, no_show: bool = False):
        self.world, self.name, self.no_show = world, name, no_show
        self.phone = world.phone(openid, self)
        self.jobs: deque[str] = deque()        # accepted, waiting their turn
        self.current: Optional[str] = None
        self.withdrawn: set[str] = set()       # cancelled or given away meanwhile
        self.unanswered: set[str] = set()      # new jobs announced, not answered yet

    def receive(self, delivery: Delivery) -> None:
        """A template message: a new job is answered within minutes; a cancellation noted."""
        number = number_in(" ".join(map(str, delivery.values.values())))
        if self.no_show or not number:
            return
        if delivery.kind == "new_job":
            self.unanswered.add(number)
            self.world.after(self.world.rng.uniform(1, 4), lambda: self._answer_job(number))
        elif delivery.kind == "cancelled":
            self.withdrawn.add(number)

    def _answer_job(self, number: str) -> None:
        if number not in self.unanswered:
            return  # already taken with a bare 1
        self.unanswered.discard(number)
        if self.world.rng.random() < REJECT_SHARE:
            self.phone.say(f"拒单 {number} 手头有急活走不开", number)
            return
        # With one job waiting, a bare 1 takes it (the newest dispatched one); else the number.
        alone = not self.unanswered
        reply = self.phone.say("1" if alone else f"接单 {number}", number)
        taken = done_on(reply, "已接单")
        if taken:
            self.unanswered.discard(taken)
            self.jobs.append(taken)
            if self.current is None:
                self._next()

    def _next(self) -> None:
        """Start the next accepted job: travel, then arrive."""
        self.current = None
        while self.jobs:
            number = self.jobs.popleft()
            if number not in self.withdrawn:
                self.current = number
                self.world.after(self.world.rng.uniform(*TRAVEL_MINUTES),
                                 lambda: self._arrive(number))
                return

    def _arrive(self, number: str) -> None:
        if not done_on(self.phone.say(f"到达 {number}", number), "已记录到达"):
            return self._next()
        self.world.after(self.world.rng.uniform(*WORK_MINUTES), lambda: self._finish(number))

    def _finish(self, number: str) -> None:
        rng = self.world.rng
        roll = rng.random()
        if roll < TRANSFER_SHARE:
            self.phone.say(f"转单 {number} 需要专业工具，请其他同事处理", number)
        elif roll < TRANSFER_SHARE + SUSPEND_SHARE:
            self.phone.say(f"挂起 {number} 等配件到货", number)
            self.world.after(rng.uniform(60, 240), lambda: self._resume(number))
        elif rng.random() < self.world.spec.paper:
            self.world.desk.paper_completion(number, self.name, rng.uniform(30, 240))
        else:
            self._complete(number)
            return
        self._next()

    def _resume(self, number: str) -> None:
        if done_on(self.phone.say(f"恢复 {number}", number), "已恢复"):
            self.world.after(self.world.rng.uniform(20, 60), lambda: self._complete(number))

    def _complete(self, number: str) -> None:
        rng = self.world.rng
        cost = f" 费用 {rng.choice((20, 35, 50))}" if rng.random() < 0.3 else ""
        self.phone.say(f"完成 {number} {rng.choice(SOLUTIONS)}{cost}", number)
        if self.current == number:
            self._next()
