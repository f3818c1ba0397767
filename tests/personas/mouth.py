"""Answering the bot's questions from a person's facts, in that person's own words.

`person.says` holds how they put each answer; what they leave out is said plainly from their
facts. An answer starting with `#` picks the numbered choice holding the rest (`#水电`), as
someone who reads the list and replies with its number.
"""
from __future__ import annotations

from typing import Optional

from tests.personas import ear
from tests.personas.people import PHOTO, Person


YES_WORDS = r"是|是的|对|好|好的|确认|可以|ok|OK"
NO_PHOTO_WORDS = r"跳过|完成|没有|无|不用|否"


def answer(person: Person, asked: ear.Question, reply: str, photo_ready: bool,
           target_number: str = "", again: bool = False) -> Optional[str]:
    """What the person replies to `asked`; None when they would not know what to say.

    `again`: the bot just asked it again after their own words. Then they do as the reply
    says, as people do the second time: the word it quotes, the category by its name."""
    says, facts = person.says, person.facts
    kind = asked.kind
    if again:
        instructed = _as_told(person, asked, reply, photo_ready)
        if instructed:
            return instructed
    if kind == "category_guess":
        return _category_guess(person, reply)
    if kind in ("summary", "yes_no") and photo_ready and "照片" in reply:
        return PHOTO   # photos offered with the summary: they send theirs first
    if kind == "summary":
        return says.get("confirm", _yes(person))
    if kind == "photos":
        return PHOTO if photo_ready else says.get("no_photo", "没有")
    if kind == "which_order":
        return pick_order(reply, target_number)
    if kind == "contact":
        return contact(person, asked.parts)
    if kind == "unit":
        return choose(reply, says.get("unit", facts.unit))
    if kind == "category":
        return choose(reply, says.get("category") or says.get("what", ""))
    if kind == "building":
        return says.get("building") or (facts.place.building[0] if facts.place else None)
    if kind == "yes_no":
        return _yes_no(person, reply)
    return says.get(kind) or None


def _as_told(person: Person, asked: ear.Question, reply: str, photo_ready: bool) -> str:
    """A second try in the bot's own terms, or '' when the person has none."""
    if asked.kind in ("summary", "yes_no") or (
            asked.kind == "category_guess" and ear.guessed_category(reply) in person.facts.categories):
        return ear.quoted(reply, YES_WORDS) or "是"
    if asked.kind == "photos" and not photo_ready:
        return ear.quoted(reply, NO_PHOTO_WORDS) or "跳过"
    if asked.kind in ("category", "category_guess") and person.facts.categories:
        return choose(reply, "#" + person.facts.categories[0])
    if asked.kind in ("place", "building"):
        return person.says.get("place_again", "")   # the place said in full this time
    return ""


def choose(reply: str, wanted: str) -> str:
    """`#name`: the number of the choice holding name (the name itself when not listed)."""
    if not wanted.startswith("#"):
        return wanted
    name = wanted[1:]
    return next((number for number, line in ear.numbered_choices(reply) if name in line), name)


def contact(person: Person, parts: frozenset) -> str:
    """Phone and/or name (and unit, when asked with them) as the person writes them."""
    says, facts = person.says, person.facts
    if parts == {"phone"}:
        return says.get("phone", facts.phone)
    if parts == {"name"}:
        return says.get("name", facts.name)
    text = says.get("contact", f"{facts.phone} {facts.name}")
    if "unit" in parts and facts.unit and facts.unit not in text:
        text += f" {facts.unit}"
    return text


def pick_order(reply: str, number: str) -> str:
    """The choice showing the order meant, by its list number, else its last four digits."""
    listed = next((n for n, line in ear.numbered_choices(reply) if number and number in line), "")
    return listed or number[-4:]


def _yes(person: Person) -> str:
    return person.says.get("yes", "是")


def _category_guess(person: Person, reply: str) -> str:
    named = ear.guessed_category(reply)
    if named in person.facts.categories:
        return _yes(person)
    says = person.says
    return says.get("not_category") or says.get("category", "").lstrip("#") or says["what"]


def _yes_no(person: Person, reply: str) -> str:
    """Yes, unless the bot offers a place that is not theirs: then they say where it is."""
    place = person.facts.place
    if place and ("楼" in reply or "地点" in reply or "房间" in reply):
        if not any(alias in reply for alias in place.building):
            return person.says.get("place_again") or person.says.get("place", "不是")
    return _yes(person)
