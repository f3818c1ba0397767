"""Reading one slot of a report from what the user typed: category, location, contact ..."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from peewee import fn

from models.catalogue import FaultType, Location

# "phone" holds the phone and the name (称呼), asked together; "unit" only when
# [conversation] unit_label names one (学院/部门, 楼栋房号).
SLOTS = ("category", "location", "description", "photos", "phone", "unit")
# Sub-steps belong to a main step, so 返回 and 帮助 treat them like it.
STEP_OF = {"category_guess": "category", "edit_choice": "confirm"}

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
LOCATION_HINT = re.compile(r"(\d+\s*(号楼|栋|幢|单元|号|室|楼|层))|(楼|公寓|宿舍|校区|教学|馆|食堂|园)|"
                           r"^[A-Za-z]?\d{3,4}$")
DESCRIPTION_LIMITS = (2, 500)
LOCATION_LIMITS = (2, 100)
NAME_LIMITS = (1, 20)
UNIT_LIMITS = (2, 50)
# A phone inside other words: `13800138000 王同学`, `王老师 010-62345678`.
PHONE_IN_TEXT = re.compile(r"(?<![\d-])(?:\+?86-?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)"
                           r"(?![\d-])")
# Words people put around a name: `我是王同学`, `姓名：王同学 电话：138…`.
NAME_NOISE = re.compile(r"我是|我叫|联系人|姓名|称呼|名字|电话|手机|号码|[,，;；。:：、]")
YES_WORDS = {"是", "是的", "对", "对的", "好", "好的", "确认", "嗯", "yes", "y", "ok"}
DONE_WORDS = {"跳过", "完成", "好了", "没有", "不用", "无", "否", "下一步"}


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


def is_filled(draft: dict, slot: str) -> bool:
    """Whether the draft already has a value for `slot`."""
    if slot == "category":
        return bool(draft.get("category_id"))
    if slot == "photos":
        return bool(draft.get("photos_done"))
    if slot == "phone":
        return bool(draft.get("phone") and draft.get("name"))
    return bool(draft.get(slot))


def first_missing(draft: dict, slots: tuple[str, ...] = SLOTS) -> str:
    """The step to ask next: the first empty slot, else the confirmation."""
    return next((slot for slot in slots if not is_filled(draft, slot)), "confirm")


def clear_slot(draft: dict, slot: str) -> None:
    """Empty one slot so it is asked again."""
    if slot == "category":
        draft.pop("category_id", None)
        draft.pop("category_name", None)
    elif slot == "photos":
        draft["photos"], draft["photos_done"] = [], False
    elif slot == "phone":
        draft.pop("phone", None)
        draft.pop("name", None)
    else:
        draft.pop(slot, None)
        if slot == "location":  # a new place: the scanned device no longer stands there
            for key in ("location_id", "device_id", "device_name"):
                draft.pop(key, None)


def normalise_phone(text: str) -> Optional[str]:
    """A mainland mobile (11 digits) or landline with area code; None when neither."""
    compact = re.sub(r"[\s()（）]", "", text).replace("—", "-")
    compact = re.sub(r"^(\+?86)-?", "", compact)
    if MOBILE.match(compact.replace("-", "")):
        return compact.replace("-", "")
    return compact if LANDLINE.match(compact) else None


def read_contact(text: str) -> tuple[Optional[str], str]:
    """(phone or None, name) from `13800138000 王同学`, `王同学 13800138000` or either alone."""
    text = re.sub(r"(?<=\d) +(?=\d)", "", text)  # 138 0013 8000
    whole = normalise_phone(text)
    if whole:
        return whole, ""
    found = PHONE_IN_TEXT.search(text)
    rest = text[:found.start()] + " " + text[found.end():] if found else text
    name = " ".join(NAME_NOISE.sub(" ", rest).split())
    return (normalise_phone(found.group()) if found else None), name


def is_name(text: str) -> bool:
    """Whether text can be how someone is called: short, no digits, not a reply word."""
    return (within(text, NAME_LIMITS) and not any(ch.isdigit() for ch in text)
            and text.lower() not in YES_WORDS | DONE_WORDS)


def pick_unit(text: str, units: tuple[str, ...]) -> Optional[str]:
    """A listed unit by its number or name; else what was typed, when it is a plausible length."""
    text = " ".join(text.split())
    if units and text.isdigit():
        return units[int(text) - 1] if 1 <= int(text) <= len(units) else None
    return text if text in units or within(text, UNIT_LIMITS) else None


def pick_category(text: str, categories: list[FaultType]) -> Optional[FaultType]:
    """A category chosen by its number in the list or by its exact name."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(categories):
        return categories[int(text) - 1]
    return next((c for c in categories if c.name == text), None)


def guess_category(text: str, categories: list[FaultType]) -> Optional[FaultType]:
    """The category whose keywords occur most (longest first) in a free description."""
    lowered = text.lower()
    best, best_score = None, 0
    for category in categories:
        score = sum(len(k) for k in category.keyword_list if k.lower() in lowered)
        if score > best_score:
            best, best_score = category, score
    return best


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
