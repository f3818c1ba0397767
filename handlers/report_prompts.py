"""What a report asks next: the first empty slot's question, a category guess, the summary.

Every step's question comes from here, so a reply after an answer, 返回, 修改, 帮助 and a scan
mid-report all ask the same way.
"""
from __future__ import annotations

from handlers import report_slots as slots
from handlers.turn import Turn
from models.catalogue import FaultType


def active_slots(turn: Turn) -> tuple[str, ...]:
    """The slots this account's reports ask for (the unit only when it has a label)."""
    return slots.active_slots(turn.settings.unit_label)


def ask_next(turn: Turn, intro: str = "") -> str:
    """Move the draft to its first empty step and ask it (after `intro`, when given)."""
    turn.draft["awaiting"] = slots.first_missing(turn.draft, active_slots(turn))
    if turn.draft["awaiting"] == "category" and turn.draft.get("description"):
        guess = slots.guess_category(turn.draft["description"], FaultType.menu(turn.draft["kind"]))
        if guess:
            return offer_guess(turn, guess, intro)
    return with_intro(turn, intro, prompt(turn))


def with_intro(turn: Turn, intro: str, question: str) -> str:
    """The question, after the intro template when there is one."""
    if not intro:
        return question
    return turn.say(f"reporter/{intro}", kind=turn.draft["kind"]) + "\n\n" + question


def prompt(turn: Turn) -> str:
    """The question of the step the draft waits on."""
    draft, rules = turn.draft, turn.settings
    step = draft["awaiting"]
    if step == "category":
        return turn.say("reporter/ask_category", categories=FaultType.menu(draft["kind"]),
                        kind=draft["kind"])
    if step == "category_guess":
        return turn.say("reporter/ask_category_guess", name=draft["guess_name"])
    if step == "confirm":
        return turn.say("reporter/summary", draft=draft, photos=len(draft["photos"]),
                        unit_label=rules.unit_label)
    if step in ("edit_choice", "unit"):
        return turn.say("reporter/ask_edit" if step == "edit_choice" else "reporter/ask_unit",
                        unit_label=rules.unit_label, units=rules.units)
    return turn.say(f"reporter/ask_{step}", limit=rules.max_photos, kind=draft["kind"],
                    draft=draft)


def offer_guess(turn: Turn, guess: FaultType, intro: str = "") -> str:
    """Ask whether the keywords' guess is the category."""
    turn.draft.update(awaiting="category_guess", guess_id=guess.id, guess_name=guess.name)
    return with_intro(turn, intro, prompt(turn))
