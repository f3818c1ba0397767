"""Putting what a message says into the report: every slot it names, whatever was asked, and
saying back in one line what was understood.

A slot already filled is only overwritten by the answer to its own question or by a correction
(corrections.py), so a place mentioned in passing never replaces the one given before.
"""
from __future__ import annotations

import re
from typing import Optional

from handlers import catalogue_view, places
from handlers import report_slots as slots
from handlers.reading import Reading, read
from handlers.turn import Turn
from models.catalogue import FaultType

LOCATION_STEPS = ("location", "location_building", "location_same")
ROOM_WORD = re.compile(r"(?:寝室|宿舍|房间|室)$")   # B栋101寝室 is the catalogue's B栋 101


def categories(turn: Turn) -> list[FaultType]:
    """The report's kind's categories, in menu order."""
    return catalogue_view.categories(turn.draft["kind"])


def read_message(turn: Turn, text: str, entry: bool = False) -> Reading:
    """The facts in `text`, with the catalogue's place names and the category keywords."""
    keywords = catalogue_view.keywords(turn.draft["kind"])
    return read(text, slots.place_names(), entry=entry, keywords=keywords,
                units=turn.settings.units)


def fill(turn: Turn, reading: Reading, awaited: str = "") -> list[str]:
    """Store what `reading` found in empty slots (or the awaited one); the slots it filled."""
    draft, filled = turn.draft, []
    if reading.phone and (not draft.get("phone") or awaited == "phone"):
        draft["phone"] = reading.phone
        filled.append("phone")
    if reading.name and (not draft.get("name") or awaited == "phone"):
        draft["name"] = reading.name
        filled.append("name")
    if reading.unit and turn.settings.unit_label and (not draft.get("unit") or awaited == "unit"):
        draft["unit"] = reading.unit
        filled.append("unit")
    if reading.place and (not draft.get("location") or awaited in LOCATION_STEPS):
        filled += set_spot(draft, reading.place)
    if reading.description and (not draft.get("description") or awaited == "description"):
        set_description(turn, with_subject(draft, reading.description))
        filled.append("description")
    elif reading.subject and not draft.get("description"):
        draft["subject"] = reading.subject   # 水管: asked what is wrong with it
    return filled


def with_subject(draft: dict, description: str) -> str:
    """漏水了, after 水管 alone: 水管漏水了 (a description naming its own thing stands alone)."""
    subject = draft.pop("subject", "")
    if not subject or subject in description or slots.names_a_thing(description):
        return description
    return subject + description


def set_spot(draft: dict, spot: places.Spot) -> list[str]:
    """A found place: the location when it is enough, else the room kept for its building."""
    if spot.complete:
        set_location(draft, spot.text)
        return ["location"]
    if places.is_room_only(spot.text):
        draft["room"] = spot.text
        return ["room"]
    if not draft.get("location"):
        draft["spot"] = spot.text  # 楼道, 4楼: joins the building when it comes
    return []


def set_location(draft: dict, text: str) -> None:
    """The place, matched to the catalogue (a room found earlier joins it): the place itself,
    or the building it starts with (图书馆二楼东侧 → 东校区 图书馆, the rest kept as typed)."""
    for detail in (draft.pop("spot", ""), draft.pop("room", "")):
        if detail and detail not in text:
            text = f"{text} {detail}"
    if draft.get("location"):  # moving elsewhere: a scanned device no longer stands there
        slots.clear_slot(draft, "location")
    place = slots.match_location(text) or slots.match_location(ROOM_WORD.sub("", text))
    if place is not None:
        draft["location"], draft["location_id"] = place.full_name, place.id
    else:
        building, rest = slots.match_building(text)
        draft["location"] = f"{building.full_name} {rest}" if building else text
        draft["location_id"] = building.id if building else None
    remember(draft, "location")


def set_description(turn: Turn, text: str) -> None:
    """What is wrong; the category follows it while it was only guessed (or not known yet)."""
    draft = turn.draft
    draft["description"] = text
    remember(draft, "description")
    if not draft.get("category_id") or draft.get("category_guessed"):
        guess = slots.confident_category(text, categories(turn))
        if guess is not None:
            set_category(draft, guess, guessed=True)
        elif draft.get("category_guessed"):
            slots.clear_slot(draft, "category")


def set_category(draft: dict, category: FaultType, guessed: bool = False) -> None:
    """The category chosen (or guessed from the description, shown in the summary to check)."""
    draft.update(category_id=category.id, category_name=category.name,
                 department_id=category.department_id, category_guessed=guessed)
    if not guessed:
        remember(draft, "category")


def remember(draft: dict, slot: str) -> None:
    """Note the slot as the latest answered, for 返回."""
    answered = [s for s in draft.get("answered", []) if s != slot]
    draft["answered"] = answered + [slot]


def said_back(turn: Turn, filled: list[str]) -> Optional[str]:
    """One line saying what was understood (None when nothing worth repeating was filled)."""
    shown = [slot for slot in ("location", "room", "description", "phone", "name", "unit")
             if slot in filled]
    if not shown:
        return None
    return turn.say("reporter/understood", draft=turn.draft, shown=shown)
