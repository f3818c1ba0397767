"""Simulated reporters: they report (guided, in one sentence, by scanning a poster), answer the
questions they are asked, and then urge, cancel and rate as impatient or content people do."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from wechat_bot.cli.simulation.journal import Delivery
from wechat_bot.cli.simulation.wire import number_in

MAX_TURNS = 12
PHOTO = object()  # the answer "send a photo"
SCORES = (5, 4, 3, 2, 1)
SCORE_WEIGHTS = (50, 30, 10, 5, 5)
URGE_SHARE, CANCEL_SHARE, PHOTO_SHARE, RATE_SHARE = 0.3, 0.05, 0.3, 0.75
# Most reporters rate with a bare score, as the completed notice asks (回复 1-5 评价); with
# several orders waiting they name the order (评价 单号 分数).
BARE_SCORE = True
CHOICE = re.compile(r"^\s*(\d+)\.\s*(\S+)", re.M)


@dataclass
class Plan:
    """One report as the reporter means it, and how they will behave afterwards."""
    way: str                        # guided | one_shot | poster | matter
    fault: str                      # the fault type's name
    description: str
    place: str
    scene: str = ""                 # the poster's scene (way poster)
    photo: bool = False
    urge_after: Optional[float] = None    # minutes without news of anyone coming, then 催单
    cancel_after: Optional[float] = None  # minutes, then 取消 unless accepted
    score: Optional[int] = None           # the rating they give after completion (None: never)
    rate_after: float = 30


@dataclass
class Filed:
    """An order the reporter filed, and what their phone told them about it."""
    plan: Plan
    accepted: bool = False
    seen_to: bool = False             # someone came (arrival, progress) or it was done
    finished: bool = False
    rated: bool = False               # decided to rate (a completion notice came)
    scored: bool = False              # the score was sent
    photo_sent: bool = field(default=False, repr=False)


class Reporter:
    """A student or teacher with a phone; reports and follows up on their own orders."""

    def __init__(self, world, openid: str, name: str, mobile: str, unit: str):
        self.world, self.name, self.mobile, self.unit = world, name, mobile, unit
        self.phone = world.phone(openid, self)
        self.filed: dict[str, Filed] = {}

    def report(self, plan: Plan) -> Optional[str]:
        """Go through the conversation to 提交成功; the order number (None: it went wrong)."""
        draft = Filed(plan)
        reply = self._open(plan, draft)
        for _ in range(MAX_TURNS):
            number = number_in(reply) if "提交成功" in reply else ""
            if number:
                self._filed(number, draft)
                return number
            answer = self._answer(reply, draft)
            if answer is None:
                self.world.journal.snag(self.world.clock.now(), self.phone.openid,
                                        f"reporter did not know what to answer to “{reply}”")
                self.phone.say("取消")
                return None
            reply = self._send(answer, draft)
        self.world.journal.snag(self.world.clock.now(), self.phone.openid,
                                f"report not stored after {MAX_TURNS} answers")
        return None

    def _open(self, plan: Plan, draft: Filed) -> str:
        if plan.way == "poster":
            return self.phone.scan(plan.scene)
        if plan.way == "one_shot":
            return self.phone.say(f"报修 {plan.place} {plan.description}")
        return self.phone.say("报事" if plan.way == "matter" else "报修")

    def _answer(self, reply: str, draft: Filed):
        """What a person answers to the question at the end of the reply (None: no idea)."""
        plan, question = draft.plan, reply.strip().split("\n\n")[-1]
        if "请核对" in question or "回复“确认”提交" in question:
            return PHOTO if plan.photo and not draft.photo_sent else "确认"
        if "编号" in question and CHOICE.search(question):
            numbers = {name: n for n, name in CHOICE.findall(question)}
            if plan.fault in numbers or "类" in question:
                return numbers.get(plan.fault, plan.fault)
        if "电话" in question:
            return f"{self.mobile} {self.name}" if "称呼" in question else self.mobile
        if "称呼" in question:
            return self.name
        label = self.world.settings.conversation.unit_label
        if label and label in question:  # a numbered list or free text: the name does for both
            return self.unit
        if any(word in question for word in ("哪里坏了", "描述", "是什么问题", "怎么了", "说明")):
            return plan.description
        if "地方" in question or "地点" in question or "哪栋楼" in question:
            return plan.place
        return None

    def _send(self, answer, draft: Filed) -> str:
        if answer is PHOTO:
            draft.photo_sent = True
            return self.phone.photo(self.world.sandbox.state.issue_media("image"))
        return self.phone.say(answer)

    def _filed(self, number: str, draft: Filed) -> None:
        self.filed[number] = draft
        plan = draft.plan
        if plan.cancel_after is not None:
            self.world.after(plan.cancel_after, lambda: self._cancel(number))
        if plan.urge_after is not None:
            self.world.after(plan.urge_after, lambda: self._urge(number, again=True))

    def _cancel(self, number: str) -> None:
        filed = self.filed[number]
        if not (filed.accepted or filed.finished):
            self.phone.say(f"取消 {number}", number)
            filed.finished = True

    def _urge(self, number: str, again: bool) -> None:
        filed = self.filed[number]
        if filed.seen_to or filed.finished:
            return
        self.phone.say(f"催单 {number}", number)
        if again:  # one more try if nothing happens within the next 40 minutes
            self.world.after(40, lambda: self._urge(number, again=False))

    def receive(self, delivery: Delivery) -> None:
        """A template message about one of their orders."""
        number = number_in(" ".join(map(str, delivery.values.values())))
        filed = self.filed.get(number)
        if filed is None:
            return
        if delivery.kind == "accepted":
            filed.accepted = True
        elif delivery.kind == "progress":
            filed.seen_to = True
        elif delivery.kind in ("completed", "survey"):
            filed.finished = True
            if filed.plan.score is not None and not filed.rated:
                filed.rated = True
                self.world.after(filed.plan.rate_after, lambda: self._rate(number))
        elif delivery.kind == "cancelled":
            filed.finished = True

    def _rate(self, number: str) -> None:
        """A bare score when this is their only order waiting for one, else with the number."""
        score = self.filed[number].plan.score
        words = " 师傅来得太晚" if score <= 2 else ""
        waiting = [n for n, filed in self.filed.items() if filed.rated and not filed.scored]
        self.filed[number].scored = True
        bare = BARE_SCORE and waiting == [number]
        reply = self.phone.say(f"{score}{words}" if bare else f"评价 {number} {score}{words}",
                               number)
        if "的评价" not in reply or not reply.startswith("感谢"):
            self.world.journal.snag(self.world.clock.now(), self.phone.openid,
                                    f"the rating was not taken: “{reply}”", number)


def plan_report(rng, way: str, fault: str, description: str, place: str,
                scene: str = "") -> Plan:
    """A report with the follow-ups drawn at random (seeded)."""
    rated = rng.random() < RATE_SHARE
    return Plan(way, fault, description, place, scene, photo=rng.random() < PHOTO_SHARE,
                urge_after=rng.uniform(20, 60) if rng.random() < URGE_SHARE else None,
                cancel_after=rng.uniform(3, 20) if rng.random() < CANCEL_SHARE else None,
                score=rng.choices(SCORES, SCORE_WEIGHTS)[0] if rated else None,
                rate_after=rng.uniform(5, 240))
