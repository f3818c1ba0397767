"""Emergencies (跑水, 漏电, 冒烟, 燃气, 电梯困人): which fault type's urgent keyword a message
names, which safety line applies, and the words the reporter reads first.

The keywords are the catalogue's (FaultType.urgent_keywords, editable in the back office);
the rules for reading them are declared here: loose spelling for longer keywords (电梯困人 in
`电梯里困人了`), a negation just before a keyword cancels it (没有跑水), and phrases that
contain a keyword without being one (漏电保护器跳闸) are ignored. How the conversation uses it:
`found = detect_in_catalogue(text, kind)`; when found, `mark(draft, found)` (the order is
stored with priority urgent) and put `render(turn, found)` first in the reply.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable, Optional

from handlers.turn import Turn
from models.catalogue import FaultType
from models.orders import URGENT

# The safety line of a keyword: the first hazard one of whose roots it contains. Lifts come
# first (电梯困人 holds 电), then gas, smoke and fire, electricity, water.
HAZARDS = (("lift", ("困", "卡人", "卡在", "关人", "关在", "关了", "出不来")),
           ("gas", ("燃气", "煤气", "天然气", "漏气")),
           ("smoke", ("烟", "火", "焦")),
           ("electric", ("电",)),
           ("water", ("水", "管")))
GENERAL = "general"
# Said just before a keyword, these take it back: 没有跑水, 不漏电, 点不着火.
NEGATIONS = ("没有", "并没有", "没", "不", "无", "未")
# Phrases that hold a keyword but are everyday faults: a tripped RCD is not a live wire, a
# flat tyre or an air conditioner short of refrigerant is not a gas leak.
NOT_URGENT = ("漏电保护", "漏电开关", "漏电断路", "防漏电", "胎漏气", "空调漏气")
# A keyword this long or longer may have a few characters inside it (电梯里困人, 电梯困住人).
LOOSE_FROM = 3
NOISE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class Emergency:
    """What made a message urgent: the fault type, its keyword, and the safety line's hazard."""
    fault_type: FaultType
    keyword: str
    hazard: str       # a name of HAZARDS, or GENERAL


def detect(text: str, kind: str, fault_types: Iterable[FaultType]) -> Optional[Emergency]:
    """The emergency `text` reports, or None: the longest urgent keyword found, a fault type
    of the report's `kind` preferred when two types share it."""
    plain = _plain(text)
    if not plain:
        return None
    present, best, best_key = set(plain), None, None
    for fault_type in fault_types:
        for keyword in fault_type.urgent_keyword_list:
            wanted = _plain_keyword(keyword)
            # Every character of a keyword must be there, in any form of it: most are not.
            if not wanted or not present.issuperset(wanted) or not _mentions(plain, wanted):
                continue
            key = (len(keyword), fault_type.kind == kind, -fault_type.sort_order, -fault_type.id)
            if best_key is None or key > best_key:
                best, best_key = Emergency(fault_type, keyword, hazard_of(keyword)), key
    return best


def detect_in_catalogue(text: str, kind: str) -> Optional[Emergency]:
    """`detect` over the active fault types that have urgent keywords (one small query)."""
    return detect(text, kind, urgent_types())


def urgent_types() -> list[FaultType]:
    """Active fault types with urgent keywords, of every kind."""
    return list(FaultType.select().where(FaultType.active, FaultType.urgent_keywords != "")
                .order_by(FaultType.sort_order, FaultType.id))


def hazard_of(keyword: str) -> str:
    """Which safety line a keyword calls for (GENERAL when no hazard's root is in it)."""
    return next((name for name, roots in HAZARDS if any(r in keyword for r in roots)), GENERAL)


def mark(draft: dict, emergency: Emergency) -> None:
    """Record on a report draft that it is urgent (the order is stored with that priority)."""
    draft.update(priority=URGENT, urgent_keyword=emergency.keyword, hazard=emergency.hazard)


def render(turn: Turn, emergency: Emergency) -> str:
    """The safety line and the emergency phone, to put first in the reply."""
    return turn.say("emergency/intro", hazard=emergency.hazard, keyword=emergency.keyword,
                    phone=turn.emergency_phone)


def _mentions(text: str, keyword: str) -> bool:
    """Whether `keyword` occurs in `text` (both plain), loosely when long, and not negated."""
    if not keyword:
        return False
    for start in _starts(text, keyword):
        if not text[:start].endswith(NEGATIONS):
            return True
    return False


def _starts(text: str, keyword: str) -> Iterable[int]:
    """Where the keyword begins in the text: exact, or with a few characters inside it."""
    pattern, spare = _loose(keyword)
    return (m.start() for m in pattern.finditer(text) if len(m.group()) <= len(keyword) + spare)


@lru_cache(maxsize=4096)
def _loose(keyword: str) -> tuple[re.Pattern, int]:
    """The keyword's pattern (compiled once): exact when short, else a few characters may
    stand inside it; and how many."""
    if len(keyword) < LOOSE_FROM:
        return re.compile(re.escape(keyword)), 0
    spare = 1 if len(keyword) == LOOSE_FROM else 2
    return re.compile((".{0,%d}?" % spare).join(re.escape(ch) for ch in keyword)), spare


@lru_cache(maxsize=4096)
def _plain_keyword(keyword: str) -> str:
    """A keyword as _plain makes texts (once per keyword, not per message)."""
    return _plain(keyword)


def _plain(text: str) -> str:
    """Lower case, without spaces and punctuation, everyday non-urgent phrases blanked out."""
    plain = NOISE.sub("", (text or "").lower())
    for phrase in NOT_URGENT:
        plain = plain.replace(phrase, "|")
    return plain
