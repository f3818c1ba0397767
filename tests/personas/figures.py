"""The figures of issue 11's "Done when", summed over every person played, and their report."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Optional

from tests.personas import judge
from tests.personas.driver import Played
from tests.personas.people import GUIDED, ONE_SENTENCE, REPORT


@dataclass
class Figures:
    """What the suite measures; `played` keeps every transcript for the details."""
    played: list[Played]

    @property
    def wrong(self) -> list[judge.Wrong]:
        return [w for p in self.played for w in p.wrong]

    @property
    def people(self) -> int:
        return len(self.played)

    @property
    def failed(self) -> list[Played]:
        return [p for p in self.played if p.problems]

    @property
    def messages(self) -> int:
        return sum(p.messages for p in self.played)

    @property
    def fallbacks(self) -> int:
        return sum(e.fallback for p in self.played for e in p.exchanges)

    @property
    def reasks(self) -> int:
        return sum(e.reask for p in self.played for e in p.exchanges)

    def per_100(self, count: int) -> float:
        return 100 * count / self.messages if self.messages else 0.0

    def to_submit(self, way: Optional[str] = None, known: Optional[bool] = None) -> list[int]:
        """Messages each reporter sent until their order was stored (of one way of typing)."""
        return [p.submitted_at_message for p in self.played
                if p.person.goal == REPORT and p.submitted_at_message
                and (way is None or p.person.way == way)
                and (known is None or p.person.known == known)]

    def groups(self) -> dict[str, list[int]]:
        """The counts the issue sets targets for, by kind of report."""
        return {"所有报修": self.to_submit(), "引导式（新用户）": self.to_submit(GUIDED, False),
                "一句话（新用户）": self.to_submit(ONE_SENTENCE, False),
                "一句话（老用户）": self.to_submit(ONE_SENTENCE, True)}

    @property
    def wrong_orders(self) -> int:
        return len({(w.person, w.number) for w in self.wrong})

    @property
    def orders(self) -> int:
        return sum(len(p.orders) for p in self.played)


# Issue 11's "Done when": the most each figure may be.
TARGETS = {"所有报修": 5, "引导式（新用户）": 6, "一句话（新用户）": 3, "一句话（老用户）": 2}
MAX_FALLBACKS_PER_100 = 3


def misses(f: Figures) -> list[str]:
    """The targets the figures miss, each said in one line; empty when all are met."""
    found = [f"{len(f.failed)} 人没有达成目标"] if f.failed else []
    for name, values in f.groups().items():
        if not values or median(values) > TARGETS[name]:
            found.append(f"{name}中位数 {median(values)} 条，目标 ≤ {TARGETS[name]}")
    if f.per_100(f.fallbacks) > MAX_FALLBACKS_PER_100:
        found.append(f"兜底回复每百条 {f.per_100(f.fallbacks):.1f}，目标 ≤ {MAX_FALLBACKS_PER_100}")
    if f.wrong:
        found.append(f"存错字段 {len(f.wrong)} 个")
    return found


def median(values: list[int]) -> Optional[float]:
    return statistics.median(values) if values else None


def summary_line(f: Figures) -> str:
    """One line for the test output."""
    med = median(f.to_submit())
    return (f"personas: {f.people - len(f.failed)}/{f.people} goals reached, median "
            f"{med if med is not None else '—'} messages to submit, "
            f"{f.per_100(f.fallbacks):.1f} fallback and {f.per_100(f.reasks):.1f} re-ask replies "
            f"per 100 messages, {len(f.wrong)} fields stored wrongly in {f.wrong_orders} of "
            f"{f.orders} orders")


def report(f: Figures, details: bool = True) -> str:
    """The whole report: the figures, then (with details) what went wrong, person by person."""
    lines = ["人物测试（persona suite）", summary_line(f), "",
             f"目标达成 {f.people - len(f.failed)}/{f.people}",
             f"发出消息 {f.messages} 条；通用兜底回复 {f.fallbacks} 条（每百条 "
             f"{f.per_100(f.fallbacks):.1f}，涉及 {sum(any(e.fallback for e in p.exchanges) for p in f.played)} 人）；"
             f"校验后重问 {f.reasks} 条（每百条 {f.per_100(f.reasks):.1f}）",
             "提交一张报修所用消息数（中位数 / 最多 / 各人）："]
    for name, values in f.groups().items():
        lines.append(f"  {name}：{median(values)} / {max(values, default='—')} / {values}")
    lines.append(f"存错的字段 {len(f.wrong)} 个，涉及 {f.wrong_orders}/{f.orders} 张工单")
    lines += ["", "未达到的目标：" + ("无" if not misses(f) else "")] + [f"  {m}" for m in misses(f)]
    if details:
        lines += ["", "没有达成目标的人："] + [f"  {p.person.key}（{p.person.who}）：{'；'.join(p.problems)}"
                                       for p in f.failed]
        lines += ["", "存错的字段："] + [f"  {w.line()}" for w in f.wrong]
    return "\n".join(lines)


def transcript(played: Played) -> str:
    """One person's conversation, for reading what happened."""
    lines = [f"== {played.person.key}（{played.person.who}）"]
    for e in played.exchanges:
        marks = "".join(m for m, on in (("［兜底］", e.fallback), ("［重问］", e.reask)) if on)
        lines.append(f"> {e.sent}")
        lines += [f"  | {line}" for line in e.reply.splitlines()] + ([f"  {marks}"] if marks else [])
    return "\n".join(lines)
