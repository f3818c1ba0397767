"""A report's slots: which there are, when one is filled, and reading the ones a step asks for
(category, contact, unit) from the answer to that step.

Photos are not a slot: they are taken whenever they come and offered with the summary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from peewee import fn

from handlers import catalogue_view
from handlers.phones import find_phone
from models.catalogue import FaultType, Location

# Asked in this order, each only while empty: what is wrong (and, in the same answer, where),
# where, the category (when the description does not say it), phone and name (称呼) together,
# and the unit only when [conversation] unit_label names one (学院/部门, 楼栋房号).
SLOTS = ("description", "location", "category", "phone", "unit")
# Sub-steps belong to a main step, so 返回 and 帮助 treat them like it.
STEP_OF = {"edit_choice": "confirm", "location_same": "location", "location_building": "location"}

LOCATION_HINT = re.compile(r"(\d+\s*(号楼|栋|幢|单元|号|室|楼|层))|(楼|公寓|宿舍|校区|教学|馆|食堂|园)|"
                           r"^[A-Za-z]?\d{3,4}$")
DESCRIPTION_LIMITS = (2, 500)
LOCATION_LIMITS = (2, 100)
NAME_LIMITS = (1, 20)
UNIT_LIMITS = (2, 50)
# A unit among the words of a contact answer: 计算机学院, 后勤处, 5栋1单元302.
UNIT_LIKE = re.compile(r"(?:学院|学部|系|研究院|研究所|中心|处|部|办公室|办|科|馆|公司|队|组|医院)$"
                       r"|^\d+\s*(?:栋|号楼|幢)\s*\d*\s*(?:单元)?\s*\d*")
# What names never hold: the little words of a sentence (我一般下午都在宿舍), places, questions.
SENTENCE = re.compile(r"[我你他在都是的了吗呢吧啊有没要会能去来把被给让]|宿舍|楼|室|下午|上午|晚上|"
                      r"一般|时候|什么|怎么|[?？]")
# Words people add to their name that are not part of it (俞先生 业主).
NOT_A_NAME = {"业主", "住户", "租户", "学生", "本人", "家属", "老师", "员工", "职工"}
# Words people put around a name: `我是王同学`, `姓名：王同学 电话：138…`.
NAME_NOISE = re.compile(r"我是|我叫|联系人|姓名|称呼|名字|电话|手机|号码|[,，;；。:：、]")
YES_WORDS = {"是", "是的", "对", "对的", "好", "好的", "确认", "嗯", "yes", "y", "ok"}
DONE_WORDS = {"跳过", "完成", "好了", "没有", "不用", "无", "否", "下一步"}  # ending after-photos


@dataclass(frozen=True)
class Place:
    """Where a scanned poster hangs: a catalogue location, and the device it is stuck on."""
    location_id: Optional[int]
    location: str                 # the location's full name ("" when the device has none)
    device_id: Optional[int] = None
    device_name: str = ""
    category: Optional[dict] = None   # the device type's fault type, as the draft keeps it


def set_place(draft: dict, place: Place) -> None:
    """Fill the location slot (when the place has one) and the device from a scanned poster."""
    clear_slot(draft, "location")
    if place.location:
        draft["location"], draft["location_id"] = place.location, place.location_id
    if place.device_id is not None:
        draft["device_id"], draft["device_name"] = place.device_id, place.device_name
    category = place.category or {}
    if category and not draft.get("category_id") and category["kind"] == draft.get("kind"):
        # an air conditioner's poster: the category is 空调
        draft.update({key: value for key, value in category.items() if key != "kind"})


def active_slots(unit_label: str) -> tuple[str, ...]:
    """The slots a report asks for: the unit only when a label names it."""
    return SLOTS if unit_label else SLOTS[:-1]


def is_urgent(draft: dict) -> bool:
    """Whether the report is an emergency (handlers/emergency.py marked it)."""
    return draft.get("priority") == "urgent"


def is_filled(draft: dict, slot: str) -> bool:
    """Whether the draft already has a value for `slot` (an emergency needs no name or unit)."""
    if slot == "category":
        return bool(draft.get("category_id"))
    if slot == "phone":
        return bool(draft.get("phone") and (draft.get("name") or is_urgent(draft)))
    if slot == "unit":
        return bool(draft.get("unit") or draft.get("unit_skipped") or is_urgent(draft))
    return bool(draft.get(slot))


def first_missing(draft: dict, slots: tuple[str, ...] = SLOTS) -> str:
    """The step to ask next: the first empty slot, else the confirmation."""
    return next((slot for slot in slots if not is_filled(draft, slot)), "confirm")


def clear_slot(draft: dict, slot: str) -> None:
    """Empty one slot so it is asked again."""
    if slot == "category":
        for key in ("category_id", "category_name", "department_id", "category_guessed"):
            draft.pop(key, None)
    elif slot == "photos":
        draft["photos"] = []
    elif slot == "phone":
        draft.pop("phone", None)
        draft.pop("name", None)
    else:
        draft.pop(slot, None)
        if slot == "location":  # a new place: the scanned device no longer stands there
            for key in ("location_id", "device_id", "device_name"):
                draft.pop(key, None)


def read_contact(text: str, units: tuple[str, ...] = ()) -> tuple[Optional[str], str, str]:
    """(phone or None, name, unit) from `13800138000 王同学 计算机学院`, in any order, or part."""
    phone, found = find_phone(text)
    rest = text[:found.start()] + " " + text[found.end():] if found else text
    words = [w for w in NAME_NOISE.sub(" ", rest).split() if w not in NOT_A_NAME]
    unit = next((w for w in words if w in units or UNIT_LIKE.search(w) and len(w) >= 3), "")
    name = " ".join(w for w in words if w != unit)
    return phone, name, unit


def is_name(text: str) -> bool:
    """Whether text can be how someone is called (王同学, 李老师, Tom): short, no digits, not a
    reply word and not a sentence (我一般下午都在宿舍)."""
    return (within(text, NAME_LIMITS) and not any(ch.isdigit() for ch in text)
            and text.lower() not in YES_WORDS | DONE_WORDS and not SENTENCE.search(text)
            and (len(text) <= 8 or text.isascii()))


def pick_unit(text: str, units: tuple[str, ...]) -> Optional[str]:
    """A listed unit by its number or name; else what was typed, when it is a plausible length."""
    text = " ".join(text.strip(" 。.!！，,").split()).removeprefix("我是").removeprefix("在")
    if units and text.isdigit():
        return units[int(text) - 1] if 1 <= int(text) <= len(units) else None
    return text if text in units or within(text, UNIT_LIMITS) else None


def pick_category(text: str, categories: list[FaultType]) -> Optional[FaultType]:
    """A category chosen by its number in the list or by its name (是水电 / 水电的)."""
    text = text.strip(" 。.!！，,").removeprefix("是").removesuffix("的").removesuffix("类")
    if text.isdigit() and 1 <= int(text) <= len(categories):
        return categories[int(text) - 1]
    return next((c for c in categories if c.name == text), None)


def guess_category(text: str, categories: list[FaultType]) -> Optional[FaultType]:
    """The category whose keywords occur most (longest first) in a free description."""
    ranked = score_categories(text, categories)
    return ranked[0][2] if ranked else None


def confident_category(text: str, categories: list[FaultType]) -> Optional[FaultType]:
    """The guess when it is clear: the best score, and no other category as good, or as good
    but named later (空调漏水: the thing comes first, the way it fails after)."""
    ranked = score_categories(text, categories)
    if ranked and (len(ranked) == 1 or ranked[0][:2] != ranked[1][:2]):
        return ranked[0][2]
    return None


def names_a_thing(text: str) -> bool:
    """Whether text names what is broken (a keyword of any active category), not only how."""
    return bool(score_categories(text, catalogue_view.all_categories()))


def score_categories(text: str, categories: list[FaultType]) -> list[tuple[int, int, FaultType]]:
    """(score, first position, category) of those whose keywords occur in `text`, best first:
    the longest keywords found, then the one named first."""
    lowered, scored = text.lower(), []
    for category, words in _lowered(categories):
        found = [k for k in words if k in lowered]
        if found:
            scored.append((sum(map(len, found)), min(lowered.find(k) for k in found), category))
    return sorted(scored, key=lambda row: (-row[0], row[1]))


def _lowered(categories: list[FaultType]) -> list[tuple[FaultType, tuple[str, ...]]]:
    """Each category with its keywords in lower case (kept per kind by catalogue_view)."""
    kinds = {c.kind for c in categories}
    if len(kinds) == 1 and categories == catalogue_view.categories(next(iter(kinds))):
        return catalogue_view.lowered_keywords(next(iter(kinds)))
    return [(c, tuple(k.lower() for k in c.keyword_list if k)) for c in categories]


def place_names() -> tuple[str, ...]:
    """Catalogue names of campuses and buildings, longest first, to find in what people say."""
    names = {name for name, _ in catalogue_view.places() if len(name) >= 2}
    return tuple(sorted(names, key=len, reverse=True))


def match_building(text: str) -> tuple[Optional[Location], str]:
    """(the deepest catalogue place the text starts with, the rest), or (None, text).

    `东校区 3号楼 4楼` and `3号楼4楼` both give 东校区 3号楼 and `4楼`; a name two places share
    (3号楼 on two campuses) gives None, so nothing is guessed.
    """
    typed = re.sub(r"\s+", "", text)
    matches = {full: len(full) if typed.startswith(full) else len(name)
               for name, full in catalogue_view.places()
               if typed.startswith(full) or typed.startswith(name)}
    if not matches:
        return None, text
    longest = max(matches.values())
    best = [full for full, length in matches.items() if length == longest]
    if len(best) > 1 or longest == len(typed):
        return None, text
    compact = fn.REPLACE(Location.full_name, " ", "")
    found = Location.get_or_none(Location.active, compact == best[0])
    return (found, typed[longest:]) if found else (None, text)


def looks_like_location(token: str) -> bool:
    """Whether a word of a one-shot report names a place (3号楼201, A栋, 图书馆)."""
    return bool(LOCATION_HINT.search(token)) or match_location(token) is not None


def match_location(text: str) -> Optional[Location]:
    """The one catalogue place whose full name ends with what was typed (spaces ignored)."""
    typed = re.sub(r"\s+", "", text)
    if len(typed) < 2:
        return None
    compact = fn.REPLACE(Location.full_name, " ", "")
    found = list(Location.select().where(Location.active, compact.endswith(typed)).limit(2))
    return found[0] if len(found) == 1 else None


def within(text: str, limits: tuple[int, int]) -> bool:
    """Whether text's length lies within (min, max)."""
    return limits[0] <= len(text) <= limits[1]
