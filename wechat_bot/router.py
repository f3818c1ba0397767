"""Which handler answers a message: events, menu keys, global words, commands, then the draft.

Order matters and is declared here once: global words (取消, 返回, 帮助) win over the draft's
current step, so a user can always get out.
"""
from __future__ import annotations

from typing import Callable

from handlers import common, my_orders, reporter
from wechat_bot.context import Turn

Handler = Callable[[Turn], str]

MENU_KEYS: dict[str, Handler] = {
    "REPORT": reporter.start,
    "MY_ORDERS": my_orders.list_recent,
    "HELP": common.help_text,
}

EVENTS: dict[str, Handler] = {
    "subscribe": common.on_subscribe,
    "unsubscribe": common.on_unsubscribe,
    "CLICK": lambda turn: MENU_KEYS.get(turn.msg.event_key, common.help_text)(turn),
    "SCAN": common.on_subscribe,
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
    "绑定": common.bind,
}

# Message types a draft can use; others get the help pointer.
DRAFT_TYPES = ("text", "image", "voice", "location")


def route(turn: Turn) -> Handler:
    """The handler for this turn."""
    msg = turn.msg
    if msg.msg_type == "event":
        return EVENTS.get(msg.event, common.silent)
    text = msg.text
    if text in GLOBAL_WORDS:
        return GLOBAL_WORDS[text]
    command = COMMANDS.get(text.split(maxsplit=1)[0]) if text else None
    if command is None and text.startswith("报修"):
        command = reporter.start  # 报修3号楼201漏水 without a space
    if command is not None:
        return command
    if turn.draft is not None and msg.msg_type in DRAFT_TYPES:
        return reporter.continue_draft
    return common.unknown
