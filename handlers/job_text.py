"""Reading the free text engineers type: costs, materials, follow-up times (order numbers:
handlers/order_refs.py)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Optional

COST = re.compile(r"(?:费用|收费|金额)[:：\s]*(\d{1,7}(?:\.\d{1,2})?)\s*元?")
MATERIALS = re.compile(r"材料[:：\s]*(.+)$")
FOLLOW_UP = re.compile(r"(?:(今天|明天|后天)|(\d{1,2})[-/月](\d{1,2})日?)?\s*"
                       r"(\d{1,2})[:：点时](\d{2})?分?$")


def parse_completion(text: str) -> tuple[str, Optional[Decimal], str]:
    """完成 text → (solution, cost or None, materials): `换了龙头 费用 35 材料 龙头1个`."""
    materials = MATERIALS.search(text)
    if materials:
        text = text[:materials.start()]
    cost = COST.search(text)
    if cost:
        text = text[:cost.start()] + text[cost.end():]
    return (" ".join(text.split()), Decimal(cost.group(1)) if cost else None,
            materials.group(1).strip() if materials else "")


def parse_follow_up(text: str, now: datetime) -> tuple[str, Optional[datetime]]:
    """挂起 text → (reason, follow-up time or None): `等配件 明天 10:00`."""
    found = FOLLOW_UP.search(text.strip())
    if not found:
        return text.strip(), None
    word, month, day, hour, minute = found.groups()
    date = now.date() + timedelta(days={"明天": 1, "后天": 2}.get(word, 0))
    try:
        if month:
            date = date.replace(month=int(month), day=int(day))
        when = datetime.combine(date, datetime.min.time()).replace(
            hour=int(hour), minute=int(minute or 0))
    except ValueError:  # 13月, 25点: not a time after all
        return text.strip(), None
    if when < now and not (word or month):
        when += timedelta(days=1)  # "10:00" said in the afternoon means tomorrow
    return text[:found.start()].strip(), when


def expected_arrival(submitted_at: datetime, now: datetime, arrive_minutes: int) -> datetime:
    """What the reporter is promised: the arrival deadline (counted from the report), or
    `arrive_minutes` from now when that deadline has already passed."""
    deadline = submitted_at + timedelta(minutes=arrive_minutes)
    return deadline if deadline > now else now + timedelta(minutes=arrive_minutes)
