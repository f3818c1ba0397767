"""Playing one person: their opening messages, then answers to whatever the bot asks, until
their goal is reached, they run out of things to try, or MAX_MESSAGES have gone."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from models.orders import RepairOrder
from models.people import User
from tests.personas import ear, goals, judge, mouth
from tests.personas.people import MENU, PHOTO, QUIT, REPORT, Move, Person
from tests.personas.world import World, prepare

MAX_MESSAGES = 16
# What people try after a reply they cannot use, by goal: the word the fallback suggests.
RETRIES = {REPORT: ("报修",), QUIT: ("报修",)}


@dataclass
class Exchange:
    """One message the person sent and what came back."""
    sent: str
    reply: str
    asked: Optional[ear.Question]           # what the reply asks
    answered: Optional[ear.Question] = None  # the question this message answered
    after_goal: bool = False                # sent after the goal was reached

    @property
    def fallback(self) -> bool:
        return ear.is_fallback(self.reply)

    @property
    def reask(self) -> bool:
        """The bot asked again what this message (typed, not a photo) had just answered."""
        return (self.answered is not None and self.sent != PHOTO and not self.fallback
                and self.answered.asked_again_by(self.asked))


@dataclass
class Played:
    """A person's whole play: the exchanges, the orders before and after, what went wrong."""
    person: Person
    priors: list[RepairOrder]
    exchanges: list[Exchange] = field(default_factory=list)
    orders: list[RepairOrder] = field(default_factory=list)   # stored during the play
    submitted_at_message: Optional[int] = None   # messages sent when the order was stored
    problems: list[str] = field(default_factory=list)         # why the goal was not reached
    wrong: list[judge.Wrong] = field(default_factory=list)    # fields stored wrongly
    delivered: list[dict] = field(default_factory=list)       # template messages after setup

    @property
    def messages(self) -> int:
        return len(self.exchanges)

    @property
    def photos_sent(self) -> int:
        return sum(e.sent == PHOTO for e in self.exchanges)


class Driver:
    """Sends a person's messages and reads the replies."""

    def __init__(self, world: World, person: Person):
        self.world, self.person = world, person
        self.played = Played(person, prepare(world, person))
        self.seen_templates = len(world.delivered())
        self.chat = world.chat(person.openid)
        self.user = User.get_or_none(User.openid == person.openid)
        self.known_ids = {o.id for o in RepairOrder.select(RepairOrder.id)}
        self.retries = list(person.says.get("retry", RETRIES.get(person.goal, ())))
        self.photos_left = person.photos
        self.moves = list(person.moves)
        self.pending: Optional[ear.Question] = None
        self.target = self.played.priors[person.target] if self.played.priors else None

    def play(self) -> Played:
        for item in self.person.opening:
            self.send(item)
        while not self.reached() and self.played.messages < MAX_MESSAGES:
            message, answered = self.next_message()
            if message is None:
                self.played.problems.append("不知道接下来该说什么，放弃了")
                break
            self.send(message, answered)
        if self.reached():
            for item in self.person.after:
                self.send(item, after_goal=True)
        self.world.worker.run_until_idle()
        self.played.delivered = self.world.delivered()[self.seen_templates:]
        self.played.problems += goals.problems(self.played, self.reached(), self.moves)
        self.played.orders = [RepairOrder.get_by_id(o.id) for o in self.played.orders]
        self.played.wrong = [w for order in self.played.orders
                             for w in judge.wrong_fields(self.person, order, self.played.photos_sent)]
        return self.played

    def send(self, item, answered: Optional[ear.Question] = None, after_goal: bool = False):
        """Send one message (text, voice, photo or menu click) and record the exchange."""
        text, expect = (item.say, item.expect) if isinstance(item, Move) else (item, "")
        text = self.fill(text)
        reply = self.deliver(text)
        asked = ear.question(reply)
        self.played.exchanges.append(Exchange(text, reply, asked, answered, after_goal))
        self.pending = asked or self.pending
        self.check(text, reply, expect)
        self.note_new_orders()

    def deliver(self, text: str) -> str:
        if text == PHOTO:
            self.photos_left -= 1
            return self.chat.photo(self.world.photo())
        if text.startswith(MENU):
            return self.chat.click(text[len(MENU):])
        return self.chat.voice(text) if self.person.voice else self.chat.say(text)

    def fill(self, text: str) -> str:
        """Order numbers in a script, as the person types them: {number}, {spaced}, {last4} …"""
        if self.target is None or "{" not in text:
            return text
        number = self.target.number
        return text.format(number=number, lower=number.lower(), digits=number[2:],
                           last4=number[-4:], spaced=f"BX {number[2:6]} {number[6:10]} {number[10:]}")

    def check(self, text: str, reply: str, expect: str) -> None:
        """What the reply had to tell (Move.expect, '+' between several), noted when missing."""
        for what in filter(None, expect.split("+")):
            told = (self.target is not None and self.target.number in reply) if what == "target" \
                else ear.tells(reply, what, self.person.facts.phone)
            if not told or ear.is_fallback(reply):
                self.played.problems.append(f"“{text}”的回复没有说到{goals.TELL_NAMES[what]}")

    def note_new_orders(self) -> None:
        if self.user is None:
            self.user = User.get_or_none(User.openid == self.person.openid)
        if self.user is None or self.played.orders:
            return
        fresh = [o for o in RepairOrder.select().where(RepairOrder.reporter == self.user)
                 .order_by(RepairOrder.id) if o.id not in self.known_ids]
        if fresh:
            self.played.orders = fresh
            self.played.submitted_at_message = self.played.messages

    def next_message(self) -> tuple[object, Optional[ear.Question]]:
        """What the person says next, and the question it answers (None: said unasked)."""
        last = self.played.exchanges[-1] if self.played.exchanges else None
        if last and last.answered:
            move = self.take_move(after=last.answered.kind)
            if move:
                return move, None
        asked = (last.asked if last else None) or self.still_open(last)
        if asked is None:
            return (self.retries.pop(0) if self.retries else None), None
        move = self.take_move(when=asked.kind)
        if move:
            return move, None
        reply = last.reply if last else ""
        photo_ready = self.photos_left > 0 and self.person.photo_when == "asked"
        number = self.target.number if self.target else ""
        again = last is not None and last.reask
        return mouth.answer(self.person, asked, reply, photo_ready, number, again), asked

    def still_open(self, last: Optional[Exchange]) -> Optional[ear.Question]:
        """The question still waiting for an answer when the reply asks nothing new: after
        the person said something of their own accord (a question, a correction), or once
        after a fallback. None when nothing is open: what they said was taken."""
        if last is None or self.pending is None or self.fallbacks_in_a_row() >= 2:
            return None
        if last.fallback or (last.answered is None and last.sent != PHOTO):
            return self.pending
        return None

    def fallbacks_in_a_row(self) -> int:
        count = 0
        for exchange in reversed(self.played.exchanges):
            if not exchange.fallback:
                break
            count += 1
        return count

    def take_move(self, when: str = "", after: str = "") -> Optional[Move]:
        """The move due now. What someone meant to say at a question never asked, they say
        at the summary, before confirming."""
        for move in self.moves:
            if (move.when and when in (move.when, "summary")) or (after and move.after == after):
                self.moves.remove(move)
                return move
        return None

    def reached(self) -> bool:
        return goals.reached(self.person, self.played, self.target, self.moves)


def play(world: World, person: Person) -> Played:
    return Driver(world, person).play()


def play_cast(settings, redis_client, sandbox, cast) -> list[Played]:
    """Every person of `cast`, each in a world of their own."""
    return [play(World(settings, redis_client, sandbox), person) for person in cast]
