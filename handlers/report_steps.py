"""The report's steps, one handler each, named for the step it answers; each reads every fact in
the answer (not only the one asked for), asks only what is still missing, and never stores a
question, chatter or a step word as a place or a description.
"""
from __future__ import annotations

from handlers import corrections, phones, places, wording
from handlers import report_fill as fill
from handlers import report_prompts as prompts
from handlers import report_slots as slots
from handlers import report_submit
from handlers.reading import FAULT, describe, is_fault
from handlers.turn import Turn
from models.orders import RepairOrder


def on_description(turn: Turn, text: str) -> str:
    """What is wrong (and, often in the same words, where)."""
    reading = fill.read_message(turn, text)
    if not reading.description and is_fault(reading.rest, loose=True):
        reading.description = describe(reading.rest, loose=True)
    filled = fill.fill(turn, reading, "description")
    if "description" not in filled:
        again = turn.say("reporter/bad_description", kind=turn.draft["kind"])
        return _noted(turn, filled, again)
    return prompts.ask_next(turn, filled=filled)


def on_location(turn: Turn, text: str) -> str:
    """Where: a building and room, a named spot, 同一个房间 (the last order's place)."""
    if turn.msg.msg_type == "location" and turn.msg.label:
        fill.set_location(turn.draft, turn.msg.label)
        return prompts.ask_next(turn)
    if places.means_last_place(text):
        return _offer_last_place(turn)
    reading = fill.read_message(turn, text)
    filled = fill.fill(turn, reading, "location")
    if not reading.place and _plain_place(turn, text):
        fill.set_location(turn.draft, text.strip(" 。.!！，,"))
        filled.append("location")
    if "location" in filled or "room" in filled:
        return prompts.ask_next(turn, filled=filled)
    again = turn.say("reporter/bad_location", generic=places.is_generic(text), said=text.strip())
    return _noted(turn, filled, again)


def on_location_building(turn: Turn, text: str) -> str:
    """The building of a room given alone (312 → 5号楼)."""
    reading = fill.read_message(turn, text)
    if reading.place and (reading.place.complete or not places.is_room_only(reading.place.text)):
        fill.set_location(turn.draft, reading.place.text)
    elif _plain_place(turn, text) and not places.is_room_only(text):
        fill.set_location(turn.draft, text.strip(" 。.!！，,"))
    else:
        return _noted(turn, fill.fill(turn, reading), turn.say("reporter/ask_building",
                                                                 draft=turn.draft))
    return prompts.ask_next(turn, filled=["location"])


def on_location_same(turn: Turn, text: str) -> str:
    """After offering the last order's place: yes takes it, anything else is a place."""
    offered = turn.draft.pop("offer_location", "")
    if wording.is_yes(text):
        fill.set_location(turn.draft, offered)
        return prompts.ask_next(turn)
    turn.draft["awaiting"] = "location"
    if wording.is_no(text):
        return prompts.prompt(turn)
    return on_location(turn, text)


def on_category(turn: Turn, text: str) -> str:
    """The category: its number or name, or words that make it clear."""
    choices = fill.categories(turn)
    chosen = slots.pick_category(text, choices) or slots.confident_category(text, choices)
    if chosen is None:
        return _facts_else(turn, text, turn.say("reporter/bad_category") + "\n\n"
                           + prompts.prompt(turn))
    fill.set_category(turn.draft, chosen)
    if not turn.draft.get("description") and is_fault(text):
        turn.draft["description"] = text.strip()
    return prompts.ask_next(turn)


def on_phone(turn: Turn, text: str) -> str:
    """Phone and name (称呼) in one message in either order, the unit too when typed freely."""
    phone, name, unit = slots.read_contact(text, turn.settings.units)
    if phone is None and phones.means_a_number(text):
        return turn.say("reporter/bad_phone")  # a phone typed wrong
    if name and not slots.is_name(name):
        if phone is None:
            return _facts_else(turn, text, turn.say("reporter/bad_phone"))
        turn.draft["phone"] = phone
        return turn.say("reporter/bad_name")
    if phone is None and not name:
        return _facts_else(turn, text, turn.say("reporter/bad_phone"))
    draft = turn.draft
    draft.update({key: value for key, value in (("phone", phone), ("name", name)) if value})
    if unit and turn.settings.unit_label:
        draft["unit"] = unit
    fill.remember(draft, "phone")
    return prompts.ask_next(turn)


def on_unit(turn: Turn, text: str) -> str:
    """The unit step: a listed 学院/部门 by number or name, or what was typed; 没有 skips it."""
    if wording.is_no(text) or wording.plain(text) in wording.NO_PHOTO:
        turn.draft["unit_skipped"] = True
        return prompts.ask_next(turn)
    bad = turn.say("reporter/bad_unit", label=turn.settings.unit_label,
                   units=turn.settings.units) + "\n\n" + \
        prompts.prompt(turn)
    reading = fill.read_message(turn, text)
    if reading.phone or reading.description or (reading.place and reading.place.complete
                                                and turn.settings.units):
        return _facts_else(turn, text, bad)
    unit = slots.pick_unit(text, turn.settings.units)
    if unit is None or wording.question_of(text) or wording.is_yes(text):
        return bad
    turn.draft["unit"] = unit
    fill.remember(turn.draft, "unit")
    return prompts.ask_next(turn)


def on_confirm(turn: Turn, text: str) -> str:
    """The summary: yes stores the order, 修改 offers the slots, facts typed change them."""
    if wording.is_yes(text):
        return report_submit.submit(turn)
    if wording.plain(text) == "修改":
        turn.draft["awaiting"] = "edit_choice"
        return prompts.prompt(turn)
    reading = fill.read_message(turn, text)
    for field in ("phone", "place", "description"):
        if field in reading.found:
            value = reading.place.text if field == "place" else getattr(reading, field)
            name = "location" if field == "place" else field
            if corrections.apply(turn, corrections.Correction(name, value)):
                corrected = turn.say("reporter/corrected", field=name, draft=turn.draft,
                                     unit_label=turn.settings.unit_label)
                return corrected + "\n\n" + prompts.ask_next(turn)
    return turn.say("reporter/confirm_hint", kind=turn.draft["kind"])


def on_edit_choice(turn: Turn, text: str) -> str:
    """After 修改: the number of the slot to fill again (or 确认 after all)."""
    if wording.is_yes(text):
        return report_submit.submit(turn)
    slot = prompts.EDIT_CHOICES.get(wording.plain(text))
    if slot is None or slot not in prompts.active_slots(turn) + ("photos",):
        return prompts.prompt(turn)
    slots.clear_slot(turn.draft, slot)
    if slot == "photos":
        turn.draft["awaiting"] = "confirm"
        return turn.say("reporter/photos_cleared", limit=turn.settings.max_photos)
    turn.draft["awaiting"] = slot
    return prompts.prompt(turn)


STEP_HANDLERS = {"description": on_description, "location": on_location,
                 "location_building": on_location_building, "location_same": on_location_same,
                 "category": on_category, "phone": on_phone, "unit": on_unit,
                 "confirm": on_confirm, "edit_choice": on_edit_choice}


def _facts_else(turn: Turn, text: str, again: str) -> str:
    """An answer that is not the step's: the facts it holds (then the same question), else
    `again`, the step's hint."""
    filled = fill.fill(turn, fill.read_message(turn, text))
    if filled:
        return prompts.ask_next(turn, filled=filled)
    return again


def _noted(turn: Turn, filled: list[str], again: str) -> str:
    """The step's question again, after saying back whatever else the message filled."""
    said = fill.said_back(turn, filled)
    return f"{said}\n\n{again}" if said else again


def _plain_place(turn: Turn, text: str) -> bool:
    """A whole answer that names a place though no pattern knew it (逸夫楼三楼): stored as typed."""
    said = wording.plain(text)
    if not slots.within(text.strip(), slots.LOCATION_LIMITS) or places.is_generic(text):
        return False
    if said in wording.YES | wording.NO | wording.ACKS | wording.THANKS | wording.NO_PHOTO:
        return False
    if phones.means_a_number(text):   # a phone given where the place was asked
        return False
    if wording.question_of(text) or "?" in text or "？" in text or FAULT.search(text):
        return False
    return places.is_enough(text.strip())


def _offer_last_place(turn: Turn) -> str:
    """同一个房间: offer the place of the reporter's newest order, or ask when there is none."""
    last = (RepairOrder.select(RepairOrder.location_text).where(
        RepairOrder.reporter == turn.profile.id).order_by(RepairOrder.id.desc()).first())
    if last is None:
        turn.draft["awaiting"] = "location"
        return turn.say("reporter/no_last_place") + "\n\n" + prompts.prompt(turn)
    turn.draft.update(offer_location=last.location_text, awaiting="location_same")
    return prompts.prompt(turn)
