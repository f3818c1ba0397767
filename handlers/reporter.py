"""The reporter's conversation: what is wrong (and where) → where → category (only when the words
do not say) → phone and name → unit (学院/部门 or 楼栋房号, when configured) → the summary,
which offers photos once → 确认. Photos are taken at any time, also before 报修 and in the ten
minutes after 确认.

Every message in a draft is read whole (report_fill.py): a one-sentence report fills every slot
it names and only the rest is asked. Before the step's own handler (report_steps.py), a draft
message may quit, correct an earlier answer (corrections.py) or ask a question (answers.py).
"""
from __future__ import annotations

import secrets
from datetime import datetime

from handlers import answers, catalogue_view, corrections, emergency, wording
from handlers import report_fill as fill
from handlers import report_prompts as prompts
from handlers import report_slots as slots
from handlers.report_steps import STEP_HANDLERS
from handlers.turn import Turn
from handlers.reading import FAULT
from models.catalogue import MATTER, REPAIR
from models.orders import Attachment


def start(turn: Turn, kind: str = REPAIR) -> str:
    """报修 (or how people say it) / REPORT / a fault described without it: fill, ask the rest."""
    turn.draft = _new_draft(turn, kind)
    text = turn.msg.text if turn.msg.msg_type in ("text", "voice") else ""
    facts = wording.without_opening(text)
    facts = wording.REPORT_ENTRY.sub("", wording.MATTER_ENTRY.sub("", facts, 1), 1)
    facts = facts.strip(" ：:，,。")
    filled = fill.fill(turn, fill.read_message(turn, facts)) if facts else []
    alarm = _emergency(turn, facts)
    asked = prompts.ask_next(turn, intro="" if filled or alarm else "intro", filled=filled)
    return f"{alarm}\n\n{asked}" if alarm else asked


def start_matter(turn: Turn) -> str:
    """报事: the same conversation over the matter categories."""
    return start(turn, MATTER)


def start_with_photo(turn: Turn) -> str:
    """A photo before anything else: kept for the report that follows, which starts now."""
    turn.draft = _new_draft(turn, REPAIR)
    kept = _attach(turn)
    return turn.say("reporter/photo_kept", count=kept) + "\n" + prompts.ask_next(turn)


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
    return notice + "\n\n" + prompts.ask_next(turn)


def describes_fault(turn: Turn) -> bool:
    """Whether a message outside a report tells of a fault (宿舍5号楼312的灯坏了): a report starts."""
    text = turn.msg.text
    if wording.question_of(text) and not FAULT.search(text):
        return False
    if FAULT.search(text):
        return True
    lowered = text.lower()
    return any(k.lower() in lowered for c in catalogue_view.categories(REPAIR)
               for k in c.keyword_list if k)


def has_report_draft(turn: Turn) -> bool:
    """Whether a report is being filled in (not an engineer's after-photos window)."""
    return turn.draft is not None and turn.draft.get("awaiting") in STEP_HANDLERS


def continue_draft(turn: Turn) -> str:
    """Any message while a draft is open: a photo, quitting, a correction, a question, an answer."""
    if turn.msg.msg_type == "image":
        return on_photo(turn)
    if turn.msg.msg_type == "voice" and not turn.msg.recognition:
        return turn.say("reporter/voice_unrecognised") + "\n\n" + prompts.prompt(turn)
    text = _typed(turn)
    if wording.is_quit(text):
        return quit_draft(turn)
    correction = corrections.parse(text)
    if correction is not None and turn.draft["awaiting"] != "location_same":
        return correct(turn, correction)
    question = wording.question_of(text)
    if question is not None:
        return answers.answer(turn, question) + "\n\n" + _again(turn)
    if wording.plain(text) in wording.NO_PHOTO and turn.draft["awaiting"] != "unit":
        return _no_photo(turn)
    alarm = _emergency(turn, text)
    reply = STEP_HANDLERS[turn.draft["awaiting"]](turn, text)
    return f"{alarm}\n\n{reply}" if alarm else reply


def _emergency(turn: Turn, text: str) -> str:
    """The safety line when this message makes the report urgent (only the first time)."""
    if not text or slots.is_urgent(turn.draft):
        return ""
    found = emergency.detect(text, turn.draft["kind"], catalogue_view.urgent_categories())
    if found is None:
        return ""
    emergency.mark(turn.draft, found)
    if not turn.draft.get("category_id") or turn.draft.get("category_guessed"):
        fill.set_category(turn.draft, found.fault_type, guessed=True)
    return emergency.render(turn, found)


def _again(turn: Turn) -> str:
    """The open question once more; at the summary one line, not the whole summary again."""
    if turn.draft["awaiting"] == "confirm":
        return turn.say("reporter/confirm_hint", kind=turn.draft["kind"])
    return prompts.prompt(turn)


def _no_photo(turn: Turn) -> str:
    """没有照片 / 跳过 / 完成: nothing to store; at the summary, how to submit; else the question."""
    if turn.draft["awaiting"] == "confirm":
        return turn.say("reporter/no_photo_ok", kind=turn.draft["kind"])
    return prompts.prompt(turn)


def correct(turn: Turn, correction: corrections.Correction) -> str:
    """不对，是4楼 / 电话写错了 是139…: change that field and go on where we were."""
    field = corrections.apply(turn, correction)
    if field is None:
        return turn.say("reporter/correction_unclear")
    done = turn.say("reporter/corrected", field=field, draft=turn.draft,
                    unit_label=turn.settings.unit_label)
    return prompts.ask_next(turn, before=done)


def cancel_draft(turn: Turn) -> str:
    """取消: drop the draft."""
    had_draft, turn.draft = turn.draft is not None, None
    return turn.say("reporter/cancelled" if had_draft else "reporter/nothing_to_cancel")


def quit_draft(turn: Turn) -> str:
    """算了不修了, 不要了, 退出: the reporter gives up the report."""
    kind, turn.draft = turn.draft["kind"], None
    return turn.say("reporter/quit", kind=kind)


def go_back(turn: Turn) -> str:
    """返回: empty the slot answered last and ask it again."""
    if turn.draft is None:
        return turn.say("reporter/nothing_to_go_back")
    answered = turn.draft.get("answered") or []
    if not answered:
        return turn.say("reporter/already_first") + "\n\n" + prompts.ask_next(turn)
    slot = answered.pop()
    slots.clear_slot(turn.draft, slot)
    turn.draft["awaiting"] = slot
    return prompts.prompt(turn)


def on_photo(turn: Turn) -> str:
    """An image at any step: record its media id now; the worker downloads it later."""
    if len(turn.draft["photos"]) >= turn.settings.max_photos:
        full = turn.say("reporter/photos_full", limit=turn.settings.max_photos)
        return full + "\n\n" + prompts.prompt(turn)
    count = _attach(turn)
    confirming = turn.draft["awaiting"] == "confirm"
    received = turn.say("reporter/photo_received", count=count, limit=turn.settings.max_photos,
                        confirming=confirming)
    return received if confirming else received + "\n\n" + prompts.prompt(turn)


def current_prompt(turn: Turn) -> str:
    """The question the draft is waiting on (for 帮助 mid-report)."""
    return prompts.prompt(turn)


def photo_after_submit(turn: Turn) -> str:
    """A photo within ten minutes of 确认: it joins the order just submitted."""
    window = turn.draft
    count = Attachment.select().where(Attachment.order == window["order_id"]).count()
    if count >= turn.settings.max_photos:
        return turn.say("reporter/photos_full", limit=turn.settings.max_photos)
    Attachment.create(order=window["order_id"], uploader=turn.profile.id,
                      media_id=turn.msg.media_id, pic_url=turn.msg.pic_url, created_at=turn.now)
    turn.wake_worker = True
    return turn.say("reporter/photo_added", number=window["number"], count=count + 1)


def in_photo_window(turn: Turn) -> bool:
    """Whether the draft is the window after 确认 and it is still open."""
    window = turn.draft or {}
    return window.get("flow") == "photos_for" and \
        turn.now <= datetime.fromisoformat(window["until"])


def _new_draft(turn: Turn, kind: str) -> dict:
    """A new report with what the reporter told us before: phone, name and unit; and photos
    sent before 报修 (a draft holding nothing else)."""
    unit = turn.profile.unit if turn.settings.unit_label else ""
    old = turn.draft or {}
    unused = old.get("awaiting") and not (old.get("description") or old.get("location"))
    photos = old.get("photos", []) if unused else []
    return {"kind": kind, "photos": list(photos), "phone": turn.profile.phone,
            "name": turn.profile.name, "unit": unit, "answered": [],
            "key": secrets.token_hex(12)}   # the order's submission key: one order per draft


def _attach(turn: Turn) -> int:
    """Record the message's photo in the draft; how many it holds now."""
    attachment = Attachment.create(uploader=turn.profile.id, media_id=turn.msg.media_id,
                                   pic_url=turn.msg.pic_url, created_at=turn.now)
    turn.draft["photos"].append(attachment.id)
    turn.wake_worker = True  # the worker downloads it while WeChat still keeps it
    return len(turn.draft["photos"])


def _typed(turn: Turn) -> str:
    return turn.msg.label if turn.msg.msg_type == "location" else turn.msg.text
