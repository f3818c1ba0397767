"""Which handler answers a message: an open choice between orders, events, menu keys, global
words, commands, then the draft.

Order matters and is declared here once: a pending choice (handlers/pick_order.py) takes its
number first; global words (取消, 返回, 帮助) win over the draft's current step, so a user can
always get out.
"""
from __future__ import annotations

import re
from typing import Callable

from handlers import (common, engineer, followup_words, followups, intents, leader, my_orders,
                      pick_order, reporter, scan, wording)
from handlers.report_slots import DONE_WORDS
from handlers.turn import Turn
from models.people import ENGINEER

Handler = Callable[[Turn], str]

MENU_KEYS: dict[str, Handler] = {
    "REPORT": reporter.start,
    "MY_ORDERS": my_orders.list_recent,
    "HELP": common.help_text,
    "ENG_TASKS": engineer.my_jobs,
    "STATS_TODAY": leader.today,
    "STATS_MONTH": leader.this_month,
    "STATS_OVERDUE": leader.overdue,
}

EVENTS: dict[str, Handler] = {
    "subscribe": scan.on_subscribe,  # with a poster's scene it starts a report there
    "unsubscribe": common.on_unsubscribe,
    "CLICK": lambda turn: MENU_KEYS.get(turn.msg.event_key, common.help_text)(turn),
    "SCAN": scan.on_scan,
}

# Exact words that work in every state.
GLOBAL_WORDS: dict[str, Handler] = {
    "取消": reporter.cancel_draft,
    "返回": reporter.go_back,
    "帮助": common.help_text,
    "help": common.help_text,
    "?": common.help_text,
    "？": common.help_text,
}

# The first word of a message; the rest is the handler's `turn.args`.
COMMANDS: dict[str, Handler] = {
    "报修": reporter.start,
    "报事": reporter.start_matter,
    "我的报修": my_orders.list_recent,
    "查询": my_orders.show,
    "取消": my_orders.cancel_order,
    "取消报修": my_orders.cancel_report,
    "绑定": common.bind,
    "评价": followups.rate,
    "催单": followups.urge,
    "返修": followups.reopen,
    "我的工单": engineer.my_jobs,
    "接单": engineer.accept,
    "拒单": engineer.reject,
    "到达": engineer.arrive,
    "进度": engineer.progress,
    "完成": engineer.complete,
    "转单": engineer.transfer,
    "挂起": engineer.suspend,
    "恢复": engineer.resume,
    "统计": leader.stats,
}

# Words glued to an order number (`查询BX…`, `催单0015`, `评价5`): the reporter's before BX or a
# digit, the engineer's before BX or four digits (`完成2个` stays words).
GLUED = re.compile(r"^(取消报修|查询|取消|催单|评价|返修)(?=\s*(?:bx|\d))|"
                   r"^(接单|拒单|到达|进度|完成|转单|挂起|恢复)(?=\s*(?:bx|\d{4}))", re.IGNORECASE)

# Short replies to the newest dispatch notice (engineers, outside a draft); anyone else's
# bare 1-5 rates (followups.SCORE).
SHORT_FORMS: dict[str, Handler] = {"1": engineer.accept}

# Message types a draft can use; others get the help pointer.
DRAFT_TYPES = ("text", "image", "voice", "location")


def route(turn: Turn) -> Handler:
    """The handler for this turn."""
    msg = turn.msg
    picked = pick_order.route(turn)   # an open choice takes its number, or is dropped
    if picked:
        return picked
    if msg.msg_type == "event":
        return EVENTS.get(msg.event, common.silent)
    window = _photo_window_route(turn)
    if window:
        return window
    text = msg.text
    everywhere = GLOBAL_WORDS.get(text.strip()) or GLOBAL_WORDS.get(wording.plain(text))
    if everywhere:
        return everywhere
    command = _command(text, turn)
    if command is not None:
        return command
    if reporter.has_report_draft(turn) and msg.msg_type in DRAFT_TYPES:
        return reporter.continue_draft
    if msg.msg_type == "image":
        return reporter.start_with_photo  # kept for the report that follows
    phrase = intents.match(turn)
    return phrase.handler if phrase else common.unknown


def _command(text: str, turn: Turn):
    if not text:
        return None
    first = text.split(maxsplit=1)[0]
    if first == "完成" and reporter.has_report_draft(turn) and first == text.strip():
        return None  # 完成 alone while reporting means "no more photos"
    if first == "进度" and turn.profile.role != ENGINEER:
        return followup_words.show   # a reporter's 进度 asks how their order is doing
    if first in COMMANDS:
        return COMMANDS[first]
    glued = GLUED.match(text)
    if glued:
        return COMMANDS[glued.group(1) or glued.group(2)]
    if text.startswith("报修"):
        return reporter.start  # 报修3号楼201漏水 without a space
    if text.startswith("报事"):
        return reporter.start_matter
    if turn.draft is None and turn.profile.role == ENGINEER and text in SHORT_FORMS:
        return SHORT_FORMS[text]
    scoring = turn.draft is None or turn.draft.get("flow") == followups.SCORE_FLOW
    if scoring and followups.SCORE.match(text):
        return followups.rate_by_score  # a bare 1-5 after the completed notice, or 评价's question
    return None


def _photo_window_route(turn: Turn):
    """Photos right after an engineer's 完成 or a reporter's 确认; any other message closes the
    window and is handled as usual."""
    flow = (turn.draft or {}).get("flow")
    if flow == "after_photos":
        if turn.msg.msg_type == "image":
            return engineer.after_photo
        if wording.plain(turn.msg.text) in DONE_WORDS:
            return engineer.end_after_photos
    elif flow == "photos_for" and turn.msg.msg_type == "image" and reporter.in_photo_window(turn):
        return reporter.photo_after_submit
    if flow in ("after_photos", "photos_for"):
        turn.draft = None
    elif flow == followups.SCORE_FLOW and not followups.SCORE.match(turn.msg.text.strip()):
        turn.draft = turn.draft.get("resume")   # anything but a score: the question lapses
    return None
