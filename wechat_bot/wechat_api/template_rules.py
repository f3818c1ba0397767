"""The 2023 template-message rules: what WeChat refuses with 47003, and how to make a value fit.

Pure (no Flask, Redis or I/O), so the notification sender (`fit`) and the WeChat emulator
(`violations`) read the same rules. A keyword's type is its name without the trailing number
(thing1 → thing); the limits are WeChat's keyword table for 订阅/模板消息:
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
"""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Optional

FORBIDDEN_KEYS = ("first", "remark")  # dropped by WeChat in 2023: the template's own text only
SYMBOLS = frozenset(string.punctuation)
NAME_MARKS = frozenset("·• .-'")
# Emoji and pictographs (refused); ℃, ¥ and CJK punctuation are ordinary characters.
EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C),
                (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x231A, 0x231B), (0x23E9, 0x23FA),
                (0xFE00, 0xFE0F), (0x200D, 0x200D), (0x20E3, 0x20E3), (0xE0020, 0xE007F))
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")
# One point in time: 2026年11月26日 / 2026-11-26 / 2026/11/26, then optionally 14:30(:05).
POINT = re.compile(r"(?:(\d{4})(?:年(\d{1,2})月(\d{1,2})日|([-/])(\d{1,2})\4(\d{1,2})))?"
                   r" ?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
AMOUNT = re.compile(r"([¥$€£]?)(\d{1,10})(?:\.\d{1,2})?(元?)")


EMOJI = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in EMOJI_RANGES) + "]")


def _is_chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_symbol(ch: str) -> bool:
    return ch in SYMBOLS


@dataclass(frozen=True)
class CharRule:
    """A type that is a run of allowed characters up to a limit (thing, phrase, ...)."""
    limit: int
    allowed: Optional[Callable[[str], bool]] = None  # None: any character
    what: str = ""  # the allowed characters, for the reason
    mark: str = ""  # ends a cut value and counts toward the limit
    placeholder: str = "无"  # stands in when nothing is left
    space: Optional[str] = None  # what a space becomes before filtering (None: kept)
    trim: str = ""  # left over from dropped words at either end (电话：138… → :138…)

    def check(self, value: str) -> str:
        if self.allowed and not all(map(self.allowed, value)):
            return f"may only hold {self.what}"
        return f"is longer than {self.limit} characters" if len(value) > self.limit else ""

    def fit(self, text: str) -> str:
        if self.space is not None:  # ＡＢ１ → AB1 too: only ASCII is allowed in these types
            text = self.space.join(unicodedata.normalize("NFKC", text).split())
        kept = "".join(filter(self.allowed, text)) if self.allowed else text
        return _cut(kept.strip(self.trim), self.limit, self.mark) or self.placeholder


CHAR_RULES = {
    "thing": CharRule(20, mark="…"),
    "character_string": CharRule(32, lambda ch: ch.isascii() and ch.isprintable() and ch != " ",
                                 "letters, digits and symbols", "...", "-", "-", ":;,.-"),
    "phone_number": CharRule(17, lambda ch: ch.isascii() and (ch.isdigit() or _is_symbol(ch)),
                             "digits and symbols", placeholder="-", space="-", trim=":;,.-"),
    "phrase": CharRule(5, _is_chinese, "Chinese characters"),
    "letter": CharRule(32, _is_letter, "letters", placeholder="NA", space=""),
    "symbol": CharRule(5, _is_symbol, "symbols", placeholder="-", space=""),
}


def keyword_type(keyword: str) -> str:
    """thing1 → thing, character_string12 → character_string: the rules hang on this prefix."""
    return keyword.rstrip(string.digits).rstrip("_")


def violations(data) -> list[str]:
    """Why a template `data` payload breaks the 2023 rules; [] when WeChat would take it."""
    if not isinstance(data, dict) or not data:
        return ["data must be a non-empty object"]
    problems = [f"data.{key} is no longer allowed" for key in FORBIDDEN_KEYS if key in data]
    for keyword, item in data.items():
        if keyword not in FORBIDDEN_KEYS:
            problems += [f"data.{keyword}.{why}" for why in _item_problems(keyword, item)]
    return problems


def _item_problems(keyword: str, item) -> list[str]:
    if not isinstance(item, dict):
        return ["value is missing"]
    problems = ["color is no longer allowed"] if "color" in item else []
    value = item.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return problems + ["value is empty"]
    why = _general_problem(value) or _type_problem(keyword_type(keyword), value)
    return problems + ([f"value {why}"] if why else [])


def _general_problem(value: str) -> str:
    if LINE_BREAKS.search(value):
        return "contains a line break"
    if EMOJI.search(value):
        return "contains an emoji"
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return "contains a control character"
    return ""


def _type_problem(kind: str, value: str) -> str:
    if kind in CHAR_RULES:
        return CHAR_RULES[kind].check(value)
    return CHECKS[kind](value) if kind in CHECKS else ""


def fit(keyword: str, value) -> str:
    """`value` cut and cleaned to fit the keyword's type; never raises.

    Free-text types always come out valid (a placeholder such as 无 stands in for nothing left).
    time, date, number and amount are reformatted when a time or number can be read from the
    value; otherwise the cleaned text is returned and `violations` still names it.
    """
    text, kind = _one_line("" if value is None else str(value)), keyword_type(keyword)
    if kind in CHAR_RULES:
        return CHAR_RULES[kind].fit(text)
    return FITTERS[kind](text) if kind in FITTERS else (text or "无")


def _one_line(text: str) -> str:
    """Line breaks and tabs become spaces; emoji and control characters go; spaces collapse."""
    text = EMOJI.sub("", LINE_BREAKS.sub(" ", text.replace("\t", " ")))
    if not text.isprintable():  # the per-character look-up only when there is something to drop
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.split())


def _cut(text: str, limit: int, mark: str = "") -> str:
    """At most `limit` characters; a cut one ends with `mark`, which counts toward the limit."""
    return text if len(text) <= limit else text[:limit - len(mark)].rstrip() + mark


# ---- the formatted types: a check ('' or why not) and a fitter each ---------------------------

def _check_car_number(value: str) -> str:
    ends_ok = all(_is_chinese(ch) or _is_alnum(ch) for ch in (value[0], value[-1]))
    if not ends_ok or not all(map(_is_alnum, value[1:-1])):
        return "is not a plate number (letters and digits, 汉字 only first or last)"
    return "is longer than 8 characters" if len(value) > 8 else ""


def _fit_car_number(text: str) -> str:
    chars = [ch for ch in unicodedata.normalize("NFKC", text).upper()
             if _is_chinese(ch) or _is_alnum(ch)]
    if not chars:
        return "无"
    head, rest = chars[0], chars[1:]
    tail = rest.pop() if rest and _is_chinese(rest[-1]) else ""
    return head + "".join([ch for ch in rest if _is_alnum(ch)][:7 - len(tail)]) + tail


def _check_name(value: str) -> str:
    """10 Chinese characters (letters mixed in count as Chinese), or 20 letters and symbols."""
    if any(map(_is_chinese, value)):
        if not all(_is_chinese(ch) or _is_letter(ch) or ch in NAME_MARKS for ch in value):
            return "is not a name"
        return "is longer than 10 characters" if len(value) > 10 else ""
    if not all(_is_letter(ch) or _is_symbol(ch) or ch == " " for ch in value):
        return "is not a name"
    return "is longer than 20 characters" if len(value) > 20 else ""


def _fit_name(text: str) -> str:
    if any(map(_is_chinese, text)):
        return "".join(ch for ch in text if _is_chinese(ch) or _is_letter(ch) or ch == "·")[:10]
    kept = "".join(ch for ch in text if _is_letter(ch) or _is_symbol(ch) or ch == " ")
    return _cut(" ".join(kept.split()), 20).strip() or "无"


def _check_number(value: str) -> str:
    if not NUMBER.fullmatch(value):
        return "is not a number"
    return "is longer than 32 characters" if len(value) > 32 else ""


def _fit_number(text: str) -> str:
    match = NUMBER.search(unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", ""))
    return match.group()[:32].rstrip(".") if match else text


def _check_amount(value: str) -> str:
    """A currency sign, at most 10 digits (and 2 decimals), 元 at the end: ¥12.50, 12.5元."""
    match = AMOUNT.fullmatch(value)
    if match and (match.group(1) or match.group(3)):
        return ""
    return "is not an amount like ¥12.50 or 12.5元"


def _fit_amount(text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    match = re.search(r"\d+(?:\.\d+)?", plain)
    if not match or not _check_amount(plain):
        return plain if match else text
    number = Decimal(match.group())
    if number.as_tuple().exponent < -2:  # WeChat takes at most two decimals: round to fen
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    before = plain[match.start() - 1] if match.start() else ""
    symbol = before if before in "¥$€£" else ""
    fitted = f"{symbol}{number}{'元' if '元' in plain or not symbol else ''}"
    return text if _check_amount(fitted) else fitted


def _check_time(value: str) -> str:
    return "" if _span_ok(value, True) else "is not a time like 14:30 or 2026-11-26 14:30"


def _check_date(value: str) -> str:
    return "" if _span_ok(value, False) else "is not a date like 2026年11月26日 or 2026-11-26"


def _span_ok(value: str, need_clock: bool) -> bool:
    """One point or a span of two joined by a half-width ~ (a full-width ～ is refused)."""
    parts = value.split("~")
    return len(parts) <= 2 and all(_point_ok(part.strip(), need_clock) for part in parts)


def _point_ok(text: str, need_clock: bool) -> bool:
    match = POINT.fullmatch(text)
    if not match:
        return False
    year, month_cn, day_cn, _, month, day, hour, minute, second = match.groups()
    if (need_clock and hour is None) or (not need_clock and year is None):
        return False
    try:
        if year is not None:
            datetime(int(year), int(month_cn or month), int(day_cn or day))
    except ValueError:
        return False
    return hour is None or (int(hour) < 24 and int(minute) < 60 and int(second or 0) < 60)


def _fit_moment(text: str, need_clock: bool) -> str:
    """Keep a valid time or date; else rewrite ISO-like points (2026-11-26T14:30:05)."""
    text = unicodedata.normalize("NFKC", text)
    if _span_ok(text, need_clock):
        return text
    points = [_reformat_point(part.strip(), need_clock) for part in text.split("~")]
    rewritten = "~".join(points) if len(points) <= 2 and all(points) else ""
    return rewritten or text


def _reformat_point(text: str, need_clock: bool) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return ""
    has_clock = len(text) > 10
    if need_clock and not has_clock:
        return ""  # a bare date says nothing about the hour
    return moment.strftime("%Y-%m-%d %H:%M" if has_clock else "%Y-%m-%d")


CHECKS = {"car_number": _check_car_number, "name": _check_name, "number": _check_number,
          "amount": _check_amount, "time": _check_time, "date": _check_date}
FITTERS = {"car_number": _fit_car_number, "name": _fit_name, "number": _fit_number,
           "amount": _fit_amount, "time": lambda text: _fit_moment(text, True),
           "date": lambda text: _fit_moment(text, False)}
