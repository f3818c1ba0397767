"""Corrections as people type them, at any step: 不对，是4楼 / 电话写错了 是139… / 不是 是wifi连不上
/ 地点改成图书馆. The new value goes to the field it names, else to the field its words look
like (a phone, a place, a fault), else to the field answered last.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from handlers import places, wording
from handlers import report_fill as fill
from handlers import report_slots as slots
from handlers.turn import Turn

LABELS = {"phone": "电话", "name": "称呼", "location": "地点", "description": "描述",
          "category": "类别", "unit": "单位"}


@dataclass(frozen=True)
class Correction:
    """A field (None: to be worked out) and the value it should have."""
    field: Optional[str]
    value: str


def parse(text: str) -> Optional[Correction]:
    """The correction in `text`, or None when it is not one."""
    named = wording.FIELD_CORRECTION.match(text.strip())
    if named:
        return Correction(wording.field_of(named.group("field")), named.group("rest").strip())
    general = wording.CORRECTION.match(text.strip()) or wording.LATE_CORRECTION.search(text)
    if general and general.group("rest").strip(" ，,。.!！"):
        return Correction(None, general.group("rest").strip(" ，,。.!！"))
    return None


def apply(turn: Turn, correction: Correction) -> Optional[str]:
    """Change the field; the field changed, or None when the value fits none."""
    field = correction.field or _field_of_value(turn, correction.value)
    if field is None:
        return None
    changed = CHANGES[field](turn, correction.value)
    return field if changed else None


def _field_of_value(turn: Turn, value: str) -> Optional[str]:
    """What the words look like: a phone, a place, a fault; else the field answered last."""
    reading = fill.read_message(turn, value)
    if reading.phone:
        return "phone"
    if reading.place:
        return "location"
    if slots.confident_category(value, fill.categories(turn)) or reading.description:
        return "description"
    answered = turn.draft.get("answered") or []
    return answered[-1] if answered else None


def _phone(turn: Turn, value: str) -> bool:
    phone, name, _ = slots.read_contact(value)
    if phone:
        turn.draft["phone"] = phone
    if name and slots.is_name(name):
        turn.draft["name"] = name
    return bool(phone or name)


def _name(turn: Turn, value: str) -> bool:
    name = value.strip(" 。.!！，,")
    if not slots.is_name(name):
        return False
    turn.draft["name"] = name
    return True


def _location(turn: Turn, value: str) -> bool:
    spot = places.find_place(value, slots.place_names())
    text = spot.text if spot else value.strip(" 。.!！，,")
    if not slots.within(text, slots.LOCATION_LIMITS) or not (spot or places.is_enough(text)):
        return False
    fill.set_location(turn.draft, places.with_building(turn.draft.get("location", ""), text))
    return True


def _description(turn: Turn, value: str) -> bool:
    reading = fill.read_message(turn, value)
    text = reading.description or value.strip(" 。.!！，,")
    if not slots.within(text, slots.DESCRIPTION_LIMITS):
        return False
    fill.set_description(turn, text)
    guess = slots.confident_category(text, fill.categories(turn))
    if guess is not None:  # 不是水管，是wifi连不上: the category follows the new description
        fill.set_category(turn.draft, guess, guessed=True)
    return True


def _category(turn: Turn, value: str) -> bool:
    chosen = slots.pick_category(value, fill.categories(turn)) \
        or slots.confident_category(value, fill.categories(turn))
    if chosen is None:
        return False
    fill.set_category(turn.draft, chosen)
    return True


def _unit(turn: Turn, value: str) -> bool:
    unit = slots.pick_unit(value, turn.settings.units)
    if unit is None:
        return False
    turn.draft["unit"] = unit
    return True


CHANGES = {"phone": _phone, "name": _name, "location": _location, "description": _description,
           "category": _category, "unit": _unit}
