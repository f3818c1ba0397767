"""Numbers as people say them to a phone: 三号楼二零一, 幺三八…, 十二栋, 一百零一.

Speech recognition writes digits in Chinese; people read room and phone numbers digit by digit
(二零一, 幺三八) and building numbers as numbers (十二号楼). Only the numbers inside a match are
converted, never free text (一直, 一下 stay as they are).
"""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "○": 0, "洞": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3,
          "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# A character class for regular expressions: an Arabic or a spoken digit.
DIGIT_CLASS = "0-9零〇○洞一幺二两三四五六七八九"
NUMBER_CLASS = DIGIT_CLASS + "十百千"


def to_arabic(spoken: str) -> str:
    """'二零一' → '201', '十二' → '12', '一百零一' → '101'; Arabic digits pass through."""
    spoken = spoken.replace(" ", "")
    if not spoken or spoken.isascii():
        return spoken
    if any(ch in MULTIPLIERS for ch in spoken):
        return str(_positional(spoken))
    return "".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in spoken)


def _positional(spoken: str) -> int:
    """十二 → 12, 二十三 → 23, 三百零五 → 305 (a leading 十 means 一十)."""
    total, digit = 0, None
    for ch in spoken:
        if ch in MULTIPLIERS:
            total += (1 if digit is None else digit) * MULTIPLIERS[ch]
            digit = None
        elif ch in DIGITS:
            digit = DIGITS[ch]
        elif ch.isdigit():
            digit = int(ch)
    return total + (digit or 0)
