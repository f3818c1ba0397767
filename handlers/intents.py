"""What a message outside a report means, from tables of phrases per role: staff phrasing
(收到, 到了, 修好了, 统计一下 …), the ways people say 报修, greetings, thanks, questions to us, and
a fault described in free text, which starts a report.

Each row is (name, who may say it, pattern, handler, condition); the first row that matches
wins, role rows before everyone's. `explain()` names the row, so any answer can be traced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from handlers import answers, common, engineer, followup_words, leader, reporter, wording
from handlers.reading import is_fault
from handlers.turn import Turn
from models.people import ENGINEER, LEADER

Handler = Callable[[Turn], str]
ANYONE = None


@dataclass(frozen=True)
class Phrase:
    """One row of the tables: a name for explain(), who, what it looks like, what answers it."""
    name: str
    role: Optional[str]
    pattern: re.Pattern           # matched against wording.plain(text)
    handler: Handler
    when: Callable[[Turn], bool] = lambda turn: True


def _words(*words: str) -> re.Pattern:
    """A pattern for exactly one of `words` (already plain: no punctuation, lower case)."""
    return re.compile("^(?:" + "|".join(re.escape(w) for w in words) + ")$")


PHRASES = (
    # engineers: the newest dispatch, the job on site, the job done
    Phrase("engineer_accept", ENGINEER, _words("收到", "好的", "好", "ok", "👍", "👌", "明白",
                                                "马上到", "马上去", "这就去", "我接", "接了", "可以"),
           engineer.accept, engineer.has_dispatched_job),
    Phrase("engineer_arrive", ENGINEER, _words("到了", "已到", "我到了", "到现场了", "已到达",
                                                "到达了", "已经到了", "到啦"), engineer.arrive),
    Phrase("engineer_complete", ENGINEER,
           re.compile(r"^(?:修好了|搞定了?|弄好了|已修好|修完了|完工了|完工|已修复|修好啦|好了|ok了)"),
           engineer.complete_said),
    # leaders: the figures
    Phrase("leader_today", LEADER, re.compile(r"^(?:统计一下|统计下|看看统计|今天怎么样|今天情况|"
                                              r"今日情况|今天的统计|今日统计|今天|今日数据|今天数据|"
                                              r"今天(?:报修|报)?了?(?:多少|几)单?|今天有多少单?)$"),
           leader.today),
    Phrase("leader_month", LEADER, re.compile(r"^(?:这个月怎么样|本月情况|这个月的统计|这个月|本月怎么样|"
                                              r"本月|月报|本月数据|本月报表|月度数据|这个月数据|"
                                              r"这个月的数据)$"), leader.this_month),
    Phrase("leader_last_month", LEADER, _words("上个月怎么样", "上月情况", "上个月", "上月"),
           leader.last_month),
    Phrase("leader_week", LEADER, _words("这周怎么样", "本周情况", "这周", "本周", "这星期"),
           leader.this_week),
    Phrase("leader_overdue", LEADER, re.compile(r"^(?:超时工单|超时的单子?|有哪些超时|哪些超时了?|超时的|"
                                               r"逾期工单|超时的工单|超时|有超时的吗|有没有超时|"
                                               r"超时的有哪些)$"), leader.overdue),
    # everyone
    Phrase("report", ANYONE, wording.REPORT_ENTRY, reporter.start),
    Phrase("matter", ANYONE, wording.MATTER_ENTRY, reporter.start_matter),
    Phrase("question", ANYONE, re.compile(""), lambda turn: answers.answer(
        turn, wording.question_of(turn.msg.text)), lambda turn: bool(
        wording.question_of(turn.msg.text)) and not is_fault(turn.msg.text)),
    # follow-ups in everyday words, before a fault described starts a report
    Phrase("urge_said", ANYONE, re.compile(r"催一下|催催|催下|快催|还没(?:有)?人来|还没人修|还不来|人呢|"
                                           r"等了(?:好久|很久|半天|.{0,4}小时)|派人了吗|有人接了吗|快派人"),
           followup_words.urge),
    Phrase("reopen_said", ANYONE, re.compile(r"返修|没修好|又(?:坏|漏|不亮|不行|出问题|堵|断|不制冷|不转)|"
                                             r"还是(?:不行|坏的|漏|不亮)"),
           followup_words.reopen, lambda turn: "返修" in turn.msg.text
           or followup_words.reopenable(turn)),
    Phrase("show_said", ANYONE, re.compile(r"进度|到哪了|到哪一步|怎么样了|我(?:的|那个|那张)单子|单子呢|"
                                           r"处理得?怎么样|修得?怎么样|查一?下\d{4,8}"),
           followup_words.show, followup_words.has_orders),
    Phrase("rate_said", ANYONE, re.compile(r"评个?分|打个?分|给个?好评|好评|差评|[1-5一二三四五]\s*颗?星|"
                                           r"满分|评价一下"), followup_words.rate),
    Phrase("cancel_said", ANYONE, re.compile(r"不修了|不用修了|取消吧|取消掉|不要修了|撤销|撤回"),
           followup_words.cancel),
    Phrase("greeting", ANYONE, _words(*wording.GREETINGS), common.greet),
    Phrase("thanks", ANYONE, re.compile(""), common.thank,
           lambda turn: wording.is_thanks(turn.msg.text)),
    Phrase("ack", ANYONE, _words(*wording.ACKS, *wording.YES), common.ack),
    Phrase("fault", ANYONE, re.compile(""), reporter.start, reporter.describes_fault),
)


def match(turn: Turn) -> Optional[Phrase]:
    """The first row that fits this user's role and message, or None."""
    said = wording.without_emoji(wording.plain(turn.msg.text))
    opened = wording.without_emoji(wording.plain(wording.without_opening(turn.msg.text)))
    if not said:
        return None
    for phrase in PHRASES:
        if phrase.role not in (ANYONE, turn.profile.role):
            continue
        if (phrase.pattern.search(said) or opened and phrase.pattern.search(opened)) \
                and phrase.when(turn):
            return phrase
    return None


def explain(turn: Turn) -> str:
    """The name of the row that answers this message ('' when none does)."""
    found = match(turn)
    return found.name if found else ""
