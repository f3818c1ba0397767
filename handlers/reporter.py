"""The reporter's guided conversation: category → location → description → photos →
phone and name → unit (学院/部门 or 楼栋房号, when configured) → confirm.

A handler is named for the step it answers and returns the reply text; the draft lives in
`turn.draft` (saved to Redis by the caller). The next step is always the first empty slot.
"""
from __future__ import annotations

from handlers import report_prompts as prompts
from handlers import report_slots as slots
from handlers import report_submit
from handlers.turn import Turn
from models.catalogue import MATTER, REPAIR, FaultType
from models.orders import Attachment


def start(turn: Turn, kind: str = REPAIR) -> str:
    """报修 / REPORT: open a new draft, fill what a one-shot message gives, ask the rest."""
    turn.draft = _new_draft(turn, kind)
    rest = _after_entry_word(turn.msg.text)
    if rest:
        _apply_one_shot(turn, rest)
    return prompts.ask_next(turn, intro="intro")


def start_matter(turn: Turn) -> str:
    """报事: the same conversation over the matter categories."""
    return start(turn, MATTER)


def start_at(turn: Turn, place: slots.Place) -> str:
    """A poster was scanned: a new report with its place (and device) already filled."""
    turn.draft = _new_draft(turn, REPAIR)
    slots.set_place(turn.draft, place)
    filled = turn.say("reporter/scan_filled", draft=turn.draft)
    return prompts.with_intro(turn, "intro", filled + "\n\n" + prompts.ask_next(turn))


def refill_place(turn: Turn, place: slots.Place) -> str:
    """A poster scanned mid-report: the open draft takes its place; the report goes on."""
    slots.set_place(turn.draft, place)
    notice = turn.say("reporter/scan_updated", draft=turn.draft)
    if turn.draft["awaiting"] == "location":
        return notice + "\n\n" + prompts.ask_next(turn)
    return notice + "\n\n" + prompts.prompt(turn)


def has_report_draft(turn: Turn) -> bool:
    """Whether a report is being filled in (not an engineer's after-photos window)."""
    return turn.draft is not None and turn.draft.get("awaiting") in STEP_HANDLERS


def continue_draft(turn: Turn) -> str:
    """Any message while a draft is open: photos anywhere, else the awaited step's handler."""
    if turn.msg.msg_type == "image":
        return on_photo(turn)
    if turn.msg.msg_type == "voice" and not turn.msg.recognition:
        return turn.say("reporter/voice_unrecognised") + "\n\n" + prompts.prompt(turn)
    return STEP_HANDLERS[turn.draft["awaiting"]](turn, _typed(turn))


def cancel_draft(turn: Turn) -> str:
    """取消: drop the draft."""
    had_draft, turn.draft = turn.draft is not None, None
    return turn.say("reporter/cancelled" if had_draft else "reporter/nothing_to_cancel")


def go_back(turn: Turn) -> str:
    """返回: empty the step before the current one and ask it again."""
    if turn.draft is None:
        return turn.say("reporter/nothing_to_go_back")
    steps = prompts.active_slots(turn) + ("confirm",)
    current = slots.STEP_OF.get(turn.draft["awaiting"], turn.draft["awaiting"])
    index = steps.index(current)
    if index == 0:
        return turn.say("reporter/already_first") + "\n\n" + prompts.ask_next(turn)
    previous = steps[index - 1]
    slots.clear_slot(turn.draft, previous)
    turn.draft["awaiting"] = previous
    return prompts.prompt(turn)


def on_category(turn: Turn, text: str) -> str:
    """The category step: a number, a name, or a description whose keywords suggest one."""
    choices = FaultType.menu(turn.draft["kind"])
    chosen = slots.pick_category(text, choices)
    if chosen:
        return _set_category(turn, chosen)
    guess = slots.guess_category(text, choices)
    if guess is None:
        return turn.say("reporter/bad_category") + "\n\n" + prompts.prompt(turn)
    if not turn.draft.get("description") and slots.within(text, slots.DESCRIPTION_LIMITS):
        turn.draft["description"] = text
    return prompts.offer_guess(turn, guess)


def on_category_guess(turn: Turn, text: str) -> str:
    """After '是否属于【水电】?': yes takes it, a number or name picks another."""
    if text.lower() in slots.YES_WORDS:
        return _set_category(turn, FaultType.get_by_id(turn.draft["guess_id"]))
    turn.draft["awaiting"] = "category"
    return on_category(turn, text)


def on_location(turn: Turn, text: str) -> str:
    """The location step: free text, matched to the catalogue when it names one place."""
    if turn.msg.msg_type == "location" and turn.msg.label:
        text = turn.msg.label
    if not slots.within(text, slots.LOCATION_LIMITS):
        return turn.say("reporter/bad_location") + "\n\n" + prompts.prompt(turn)
    _set_location(turn.draft, text)
    return prompts.ask_next(turn)


def on_description(turn: Turn, text: str) -> str:
    """The description step: typed text or a voice message's recognition."""
    if not slots.within(text, slots.DESCRIPTION_LIMITS):
        return turn.say("reporter/bad_description", limits=slots.DESCRIPTION_LIMITS)
    turn.draft["description"] = text
    return prompts.ask_next(turn)


def on_photos(turn: Turn, text: str) -> str:
    """The photos step with text: 跳过 or 完成 moves on; anything else gets a hint."""
    if text in slots.DONE_WORDS:
        turn.draft["photos_done"] = True
        return prompts.ask_next(turn)
    return turn.say("reporter/photos_hint", count=len(turn.draft["photos"]),
                    limit=turn.settings.max_photos)


def on_photo(turn: Turn) -> str:
    """An image at any step: record its media id now; the worker downloads it later."""
    photos = turn.draft["photos"]
    if len(photos) >= turn.settings.max_photos:
        full = turn.say("reporter/photos_full", limit=turn.settings.max_photos)
        return full + "\n\n" + prompts.prompt(turn)
    attachment = Attachment.create(uploader=turn.profile.id, media_id=turn.msg.media_id,
                                   pic_url=turn.msg.pic_url, created_at=turn.now)
    photos.append(attachment.id)
    turn.wake_worker = True  # the worker downloads it while WeChat still keeps it
    received = turn.say("reporter/photo_received", count=len(photos),
                        limit=turn.settings.max_photos)
    if turn.draft["awaiting"] != "photos":
        return received + "\n\n" + prompts.prompt(turn)
    if len(photos) >= turn.settings.max_photos:
        turn.draft["photos_done"] = True
        return received + "\n\n" + prompts.ask_next(turn)
    return received + "\n" + turn.say("reporter/photos_more")


def on_phone(turn: Turn, text: str) -> str:
    """The contact step: phone and name (称呼) in one message, either order, or the one missing."""
    phone, name = slots.read_contact(text)
    if name and not slots.is_name(name):  # digits left over: a phone typed wrong
        return turn.say("reporter/bad_phone" if phone is None else "reporter/bad_name")
    if phone is None and not name:
        return turn.say("reporter/bad_phone")
    turn.draft.update({key: value for key, value in (("phone", phone), ("name", name)) if value})
    return prompts.ask_next(turn)


def on_unit(turn: Turn, text: str) -> str:
    """The unit step: a listed 学院/部门 by number or name, or what was typed."""
    unit = slots.pick_unit(text, turn.settings.units)
    if unit is None:
        bad = turn.say("reporter/bad_unit", label=turn.settings.unit_label)
        return bad + "\n\n" + prompts.prompt(turn)
    turn.draft["unit"] = unit
    return prompts.ask_next(turn)


def on_confirm(turn: Turn, text: str) -> str:
    """The summary: 确认 stores the order, 修改 offers the slots to change."""
    if text == "确认":
        return report_submit.submit(turn)
    if text == "修改":
        turn.draft["awaiting"] = "edit_choice"
        return prompts.prompt(turn)
    return turn.say("reporter/confirm_hint")


def on_edit_choice(turn: Turn, text: str) -> str:
    """After 修改: the number of the slot to fill again."""
    if text == "确认":
        return report_submit.submit(turn)
    choices = prompts.active_slots(turn)
    if not (text.isdigit() and 1 <= int(text) <= len(choices)):
        return prompts.prompt(turn)
    slot = choices[int(text) - 1]
    slots.clear_slot(turn.draft, slot)
    turn.draft["awaiting"] = slot
    return prompts.prompt(turn)


STEP_HANDLERS = {"category": on_category, "category_guess": on_category_guess,
                 "location": on_location, "description": on_description, "photos": on_photos,
                 "phone": on_phone, "unit": on_unit, "confirm": on_confirm,
                 "edit_choice": on_edit_choice}


def current_prompt(turn: Turn) -> str:
    """The question the draft is waiting on (for 帮助 mid-report)."""
    return prompts.prompt(turn)


def _new_draft(turn: Turn, kind: str) -> dict:
    """A new report, with what the reporter told us before: phone, name and unit."""
    unit = turn.profile.unit if turn.settings.unit_label else ""
    return {"kind": kind, "photos": [], "photos_done": False, "phone": turn.profile.phone,
            "name": turn.profile.name, "unit": unit}


def _after_entry_word(text: str) -> str:
    """What follows 报修 / 报事 in a one-shot message, with or without a space."""
    if text[:2] not in ("报修", "报事"):
        return ""
    return text[2:].strip(" ：:，,")


def _typed(turn: Turn) -> str:
    return turn.msg.label if turn.msg.msg_type == "location" else turn.msg.text


def _set_category(turn: Turn, category: FaultType) -> str:
    turn.draft.update(category_id=category.id, category_name=category.name,
                      department_id=category.department_id)
    turn.draft.pop("guess_id", None)
    turn.draft.pop("guess_name", None)
    return prompts.ask_next(turn)


def _set_location(draft: dict, text: str) -> None:
    place = slots.match_location(text)
    draft["location"] = place.full_name if place else text
    draft["location_id"] = place.id if place else None


def _apply_one_shot(turn: Turn, text: str) -> None:
    """`报修 3号楼201 水龙头漏水`: a leading place word is the location, the rest the description."""
    first, _, rest = text.partition(" ")
    if rest.strip() and slots.looks_like_location(first):
        _set_location(turn.draft, first)
        text = rest.strip()
    elif not rest.strip() and slots.looks_like_location(first) and len(first) <= 12:
        _set_location(turn.draft, first)
        return
    if slots.within(text, slots.DESCRIPTION_LIMITS):
        turn.draft["description"] = text


