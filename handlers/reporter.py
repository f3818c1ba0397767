"""The reporter's guided conversation: category → location → description → photos → phone → confirm.

A handler is named for the step it answers and returns the reply text; the draft lives in
`turn.draft` (saved to Redis by the caller). The next step is always the first empty slot.
"""
from __future__ import annotations

from handlers import report_slots as slots
from handlers.turn import Turn
from models.catalogue import MATTER, REPAIR, FaultType
from models.database import db
from models.orders import Attachment
from models.people import User
from models.workflow import NewOrder, submit_order


def start(turn: Turn, kind: str = REPAIR) -> str:
    """报修 / REPORT: open a new draft, fill what a one-shot message gives, ask the rest."""
    turn.draft = _new_draft(turn, kind)
    rest = _after_entry_word(turn.msg.text)
    if rest:
        _apply_one_shot(turn, rest)
    return _ask_next(turn, intro="intro")


def start_matter(turn: Turn) -> str:
    """报事: the same conversation over the matter categories."""
    return start(turn, MATTER)


def start_at(turn: Turn, place: slots.Place) -> str:
    """A poster was scanned: a new report with its place (and device) already filled."""
    turn.draft = _new_draft(turn, REPAIR)
    slots.set_place(turn.draft, place)
    filled = turn.say("reporter/scan_filled", draft=turn.draft)
    return _with_intro(turn, "intro", filled + "\n\n" + _ask_next(turn))


def refill_place(turn: Turn, place: slots.Place) -> str:
    """A poster scanned mid-report: the open draft takes its place; the report goes on."""
    slots.set_place(turn.draft, place)
    notice = turn.say("reporter/scan_updated", draft=turn.draft)
    if turn.draft["awaiting"] == "location":
        return notice + "\n\n" + _ask_next(turn)
    return notice + "\n\n" + _prompt(turn)


def has_report_draft(turn: Turn) -> bool:
    """Whether a report is being filled in (not an engineer's after-photos window)."""
    return turn.draft is not None and turn.draft.get("awaiting") in STEP_HANDLERS


def continue_draft(turn: Turn) -> str:
    """Any message while a draft is open: photos anywhere, else the awaited step's handler."""
    if turn.msg.msg_type == "image":
        return on_photo(turn)
    if turn.msg.msg_type == "voice" and not turn.msg.recognition:
        return turn.say("reporter/voice_unrecognised") + "\n\n" + _prompt(turn)
    return STEP_HANDLERS[turn.draft["awaiting"]](turn, _typed(turn))


def cancel_draft(turn: Turn) -> str:
    """取消: drop the draft."""
    had_draft, turn.draft = turn.draft is not None, None
    return turn.say("reporter/cancelled" if had_draft else "reporter/nothing_to_cancel")


def go_back(turn: Turn) -> str:
    """返回: empty the step before the current one and ask it again."""
    if turn.draft is None:
        return turn.say("reporter/nothing_to_go_back")
    current = slots.STEP_OF.get(turn.draft["awaiting"], turn.draft["awaiting"])
    index = slots.STEPS.index(current)
    if index == 0:
        return turn.say("reporter/already_first") + "\n\n" + _ask_next(turn)
    previous = slots.STEPS[index - 1]
    slots.clear_slot(turn.draft, previous)
    turn.draft["awaiting"] = previous
    return _prompt(turn)


def on_category(turn: Turn, text: str) -> str:
    """The category step: a number, a name, or a description whose keywords suggest one."""
    choices = FaultType.menu(turn.draft["kind"])
    chosen = slots.pick_category(text, choices)
    if chosen:
        return _set_category(turn, chosen)
    guess = slots.guess_category(text, choices)
    if guess is None:
        return turn.say("reporter/bad_category") + "\n\n" + _prompt(turn)
    if not turn.draft.get("description") and slots.within(text, slots.DESCRIPTION_LIMITS):
        turn.draft["description"] = text
    return _offer_guess(turn, guess)


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
        return turn.say("reporter/bad_location") + "\n\n" + _prompt(turn)
    _set_location(turn.draft, text)
    return _ask_next(turn)


def on_description(turn: Turn, text: str) -> str:
    """The description step: typed text or a voice message's recognition."""
    if not slots.within(text, slots.DESCRIPTION_LIMITS):
        return turn.say("reporter/bad_description", limits=slots.DESCRIPTION_LIMITS)
    turn.draft["description"] = text
    return _ask_next(turn)


def on_photos(turn: Turn, text: str) -> str:
    """The photos step with text: 跳过 or 完成 moves on; anything else gets a hint."""
    if text in slots.DONE_WORDS:
        turn.draft["photos_done"] = True
        return _ask_next(turn)
    return turn.say("reporter/photos_hint", count=len(turn.draft["photos"]),
                    limit=turn.settings.max_photos)


def on_photo(turn: Turn) -> str:
    """An image at any step: record its media id now; the worker downloads it later."""
    photos = turn.draft["photos"]
    if len(photos) >= turn.settings.max_photos:
        return turn.say("reporter/photos_full", limit=turn.settings.max_photos) + "\n\n" + _prompt(turn)
    attachment = Attachment.create(uploader=turn.profile.id, media_id=turn.msg.media_id,
                                   pic_url=turn.msg.pic_url, created_at=turn.now)
    photos.append(attachment.id)
    turn.wake_worker = True  # the worker downloads it while WeChat still keeps it
    received = turn.say("reporter/photo_received", count=len(photos),
                        limit=turn.settings.max_photos)
    if turn.draft["awaiting"] != "photos":
        return received + "\n\n" + _prompt(turn)
    if len(photos) >= turn.settings.max_photos:
        turn.draft["photos_done"] = True
        return received + "\n\n" + _ask_next(turn)
    return received + "\n" + turn.say("reporter/photos_more")


def on_phone(turn: Turn, text: str) -> str:
    """The phone step: a mainland mobile or a landline with area code."""
    phone = slots.normalise_phone(text)
    if phone is None:
        return turn.say("reporter/bad_phone")
    turn.draft["phone"] = phone
    return _ask_next(turn)


def on_confirm(turn: Turn, text: str) -> str:
    """The summary: 确认 stores the order, 修改 offers the slots to change."""
    if text == "确认":
        return _submit(turn)
    if text == "修改":
        turn.draft["awaiting"] = "edit_choice"
        return turn.say("reporter/ask_edit")
    return turn.say("reporter/confirm_hint")


def on_edit_choice(turn: Turn, text: str) -> str:
    """After 修改: the number of the slot to fill again."""
    if text == "确认":
        return _submit(turn)
    if not (text.isdigit() and 1 <= int(text) <= len(slots.SLOTS)):
        return turn.say("reporter/ask_edit")
    slot = slots.SLOTS[int(text) - 1]
    slots.clear_slot(turn.draft, slot)
    turn.draft["awaiting"] = slot
    return _prompt(turn)


STEP_HANDLERS = {"category": on_category, "category_guess": on_category_guess,
                 "location": on_location, "description": on_description, "photos": on_photos,
                 "phone": on_phone, "confirm": on_confirm, "edit_choice": on_edit_choice}


def current_prompt(turn: Turn) -> str:
    """The question the draft is waiting on (for 帮助 mid-report)."""
    return _prompt(turn)


def _new_draft(turn: Turn, kind: str) -> dict:
    return {"kind": kind, "photos": [], "photos_done": False, "phone": turn.profile.phone}


def _after_entry_word(text: str) -> str:
    """What follows 报修 / 报事 in a one-shot message, with or without a space."""
    if text[:2] not in ("报修", "报事"):
        return ""
    return text[2:].strip(" ：:，,")


def _typed(turn: Turn) -> str:
    return turn.msg.label if turn.msg.msg_type == "location" else turn.msg.text


def _ask_next(turn: Turn, intro: str = "") -> str:
    turn.draft["awaiting"] = slots.first_missing(turn.draft)
    if turn.draft["awaiting"] == "category" and turn.draft.get("description"):
        guess = slots.guess_category(turn.draft["description"], FaultType.menu(turn.draft["kind"]))
        if guess:
            return _offer_guess(turn, guess, intro)
    return _with_intro(turn, intro, _prompt(turn))


def _with_intro(turn: Turn, intro: str, prompt: str) -> str:
    if not intro:
        return prompt
    return turn.say(f"reporter/{intro}", kind=turn.draft["kind"]) + "\n\n" + prompt


def _prompt(turn: Turn) -> str:
    draft = turn.draft
    step = draft["awaiting"]
    if step == "category":
        return turn.say("reporter/ask_category", categories=FaultType.menu(draft["kind"]),
                        kind=draft["kind"])
    if step == "category_guess":
        return turn.say("reporter/ask_category_guess", name=draft["guess_name"])
    if step == "confirm":
        return turn.say("reporter/summary", draft=draft, photos=len(draft["photos"]))
    if step == "edit_choice":
        return turn.say("reporter/ask_edit")
    return turn.say(f"reporter/ask_{step}", limit=turn.settings.max_photos, kind=draft["kind"])


def _offer_guess(turn: Turn, guess: FaultType, intro: str = "") -> str:
    turn.draft.update(awaiting="category_guess", guess_id=guess.id, guess_name=guess.name)
    return _with_intro(turn, intro, _prompt(turn))


def _set_category(turn: Turn, category: FaultType) -> str:
    turn.draft.update(category_id=category.id, category_name=category.name,
                      department_id=category.department_id)
    turn.draft.pop("guess_id", None)
    turn.draft.pop("guess_name", None)
    return _ask_next(turn)


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


def _draft_category(draft: dict) -> FaultType:
    """The category as the draft recorded it: no catalogue read on the 确认 turn."""
    return FaultType(id=draft["category_id"], name=draft["category_name"],
                     department=draft.get("department_id"))


def _submit(turn: Turn) -> str:
    draft = turn.draft
    with db.atomic():
        order = submit_order(NewOrder(
            reporter=turn.profile.id, category=_draft_category(draft),
            kind=draft["kind"], location=draft.get("location_id"), location_text=draft["location"],
            description=draft["description"], phone=draft["phone"],
            attachment_ids=tuple(draft["photos"]), device=draft.get("device_id")), turn.now)
        turn.notify("order_received", turn.user_ref(), order)
        if draft["phone"] != turn.profile.phone:
            User.update(phone=draft["phone"]).where(User.id == turn.profile.id).execute()
            turn.update_profile(phone=draft["phone"])
    turn.draft = None
    return turn.say("reporter/submitted", order=order, photos=len(draft["photos"]))
