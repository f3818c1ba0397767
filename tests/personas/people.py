"""What a persona is: a goal, a way of typing, the facts they know and how they say things."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Union

PHOTO = "[图片]"          # a photo message in a script
MENU = "[菜单]"           # a menu click in a script: MENU + "REPORT"

# Goals: what the person came for. Reports store an order; the rest change or show one.
REPORT, QUIT, CHAT = "report", "quit", "chat"
URGE, RATE, CANCEL, QUERY, REOPEN = "urge", "rate", "cancel", "query", "reopen"
ACCEPT, ARRIVE, COMPLETE = "accept", "arrive", "complete"
STATS = "stats"
# Ways of typing that the figures count on their own.
GUIDED, ONE_SENTENCE = "guided", "one_sentence"


@dataclass(frozen=True)
class Place:
    """Where the fault is, as the judge checks a stored place."""
    building: tuple[str, ...]            # ways of writing the building (5号楼, 5栋)
    room: str = ""                       # the room, when the place has one
    extra: tuple[str, ...] = ()          # other words a right place may hold (三楼, 东侧)
    never: tuple[str, ...] = ()          # words a right place never holds (a corrected floor)


@dataclass(frozen=True)
class Facts:
    """What the person means: the judge compares every stored field with these."""
    categories: tuple[str, ...] = ()     # catalogue categories that fit the fault
    place: Place | None = None
    fault: tuple[str, ...] = ()          # any of these words shows the description is right
    not_fault: tuple[str, ...] = ()      # words a right description never keeps
    phone: str = ""
    name: str = ""
    unit: str = ""
    emergency: bool = False


@dataclass(frozen=True)
class Move:
    """Something said unasked: instead of answering the question `when` (the first time it is
    asked), right after answering `after`, or at once (neither). `expect` names a row of
    ear.TELLS that the reply must match, else the goal is not reached."""
    say: str
    when: str = ""
    after: str = ""
    expect: str = ""


@dataclass(frozen=True)
class Prior:
    """An order the person had before the play starts."""
    state: str          # submitted, dispatched, accepted, arrived, completed or rated
    category: str
    place: str          # a catalogue place's full name
    what: str
    age: timedelta = timedelta(hours=2)


@dataclass(frozen=True)
class Person:
    """One row of the cast."""
    key: str
    who: str                             # 新生, 退休教师, 维修师傅 …
    goal: str
    way: str
    facts: Facts = Facts()
    opening: tuple[Union[str, Move], ...] = ()   # sent first, whatever the bot asks
    # How they phrase each answer, by question kind (ear.QUESTIONS), plus yes, no_photo and
    # retry (what they try after a reply they can't use).
    says: dict = field(default_factory=dict)
    moves: tuple[Move, ...] = ()
    known: bool = False                  # phone, name and unit on file: a returning reporter
    priors: tuple[Prior, ...] = ()
    target: int = 0                      # the prior order a follow-up is about
    voice: bool = False                  # every text goes as a voice message's recognition
    role: str = "reporter"
    photos: int = 0                      # photos they have of the fault
    photo_when: str = "asked"            # first | asked | submitted
    after: tuple[Union[str, Move], ...] = ()     # said once the goal is reached

    @property
    def openid(self) -> str:
        return f"o_persona_{self.key}".ljust(28, "0")[:28]
