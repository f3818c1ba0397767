"""Answers to the questions people ask in the middle of a report or at any time: how soon
someone comes (the SLA promise), what it costs, the desk's phone and hours, a person (转人工).
Each comes from the configuration and catalogue, never invented."""
from __future__ import annotations

from handlers.turn import Turn
from models.handoff import request_handoff
from models.orders import NORMAL, URGENT
from models.sla_limits import limits_for


def answer(turn: Turn, question: str) -> str:
    """The reply to one question key of wording.QUESTIONS."""
    return ANSWERS[question](turn)


def _eta(turn: Turn) -> str:
    draft = turn.draft or {}
    urgent = draft.get("priority") == URGENT
    limits = limits_for(draft.get("category_name"), URGENT if urgent else NORMAL, turn.sla)
    return turn.say("answers/eta", minutes=limits.arrive_minutes, urgent=urgent)


def _charges(turn: Turn) -> str:
    return turn.say("answers/charges", charges=turn.charges)


def _phone(turn: Turn) -> str:
    return turn.say("answers/phone", service_phone=turn.service_phone,
                    service_hours=turn.service_hours)


def _hours(turn: Turn) -> str:
    return turn.say("answers/hours", service_phone=turn.service_phone,
                    service_hours=turn.service_hours)


def _human(turn: Turn) -> str:
    """转人工: the desk sees the person on its page (asked again: moved to the top)."""
    request = request_handoff(turn.profile.id, turn.msg.text, turn.now)
    return turn.say("answers/human", service_phone=turn.service_phone,
                    service_hours=turn.service_hours, again=request.times > 1)


ANSWERS = {"eta": _eta, "charges": _charges, "phone": _phone, "hours": _hours, "human": _human}
