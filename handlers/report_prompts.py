"""What a report asks next: the first empty slot's question, or the summary to confirm.

Every step's question comes from here, so a reply after an answer, 返回, 修改, 帮助, a photo and a
scan mid-report all ask the same way.
"""
from __future__ import annotations

from typing import Optional

from handlers import report_fill as fill
from handlers import report_slots as slots
from handlers.turn import Turn

# The edit menu's numbers (templates/messages/reporter/ask_edit.txt) and the slot each clears.
EDIT_CHOICES = {"1": "category", "2": "location", "3": "description", "4": "phone", "5": "unit",
                "6": "photos"}


def active_slots(turn: Turn) -> tuple[str, ...]:
    """The slots this account's reports ask for (the unit only when it has a label)."""
    return slots.active_slots(turn.settings.unit_label)


def ask_next(turn: Turn, intro: str = "", before: str = "", filled: Optional[list] = None) -> str:
    """Move the draft to its first empty step and ask it, after `intro` and the line `before`;
    what was understood (the slots `filled`) is said back, but not before the summary, which
    shows it all."""
    draft = turn.draft
    step = slots.first_missing(draft, active_slots(turn))
    if step == "location" and draft.get("room") and not draft.get("location"):
        step = "location_building"
    draft["awaiting"] = step
    question = prompt(turn)
    noted = fill.said_back(turn, filled) if filled and step != "confirm" else ""
    for line in (noted, before):
        if line:
            question = f"{line}\n\n{question}"
    return with_intro(turn, intro, question)


def with_intro(turn: Turn, intro: str, question: str) -> str:
    """The question, after the intro template when there is one."""
    if not intro:
        return question
    return turn.say(f"reporter/{intro}", kind=turn.draft["kind"]) + "\n\n" + question


def prompt(turn: Turn) -> str:
    """The question of the step the draft waits on."""
    draft, rules = turn.draft, turn.settings
    step, kind = draft["awaiting"], draft["kind"]
    if step == "category":
        return turn.say("reporter/ask_category", categories=fill.categories(turn), kind=kind,
                        draft=draft)
    if step == "confirm":
        return summary(turn)
    if step == "location_building":
        return turn.say("reporter/ask_building", draft=draft)
    if step == "location_same":
        return turn.say("reporter/ask_same_place", draft=draft)
    if step in ("edit_choice", "unit"):
        return turn.say("reporter/ask_edit" if step == "edit_choice" else "reporter/ask_unit",
                        unit_label=rules.unit_label, units=rules.units)
    return turn.say(f"reporter/ask_{step}", kind=kind, draft=draft, unit_label=rules.unit_label,
                    units=rules.units)


def summary(turn: Turn) -> str:
    """The summary to confirm, offering photos once."""
    return turn.say("reporter/summary", draft=turn.draft, photos=len(turn.draft["photos"]),
                    limit=turn.settings.max_photos, unit_label=turn.settings.unit_label)
