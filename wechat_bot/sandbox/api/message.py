"""Template and customer-service messages: recorded as delivered, never shown to anyone.

https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
"""
from __future__ import annotations

from flask import g

from wechat_bot.sandbox.api import bp, json_body, sandbox_state
from wechat_bot.sandbox.replies import ApiError, ok
from wechat_bot.wechat_api.template_rules import violations

CUSTOM_TYPES = ("text", "image", "voice", "video", "music", "news", "mpnews", "mpnewsarticle",
                "msgmenu", "wxcard", "miniprogrampage")
MEDIA_TYPES = ("image", "voice", "video")  # their media_id must be one this account issued


@bp.post("/message/template/send")
def template_send():
    """Deliver once per touser + client_msg_id in 10 minutes; refuse payloads breaking the rules."""
    body = json_body()
    touser = body.get("touser")
    if not isinstance(touser, str) or not touser:
        raise ApiError(40003)
    if not body.get("template_id"):
        raise ApiError(40037)
    state = sandbox_state()
    with state.lock:
        msgid = state.sent_msgid(touser, body.get("client_msg_id"))
        if msgid:
            g.sandbox_call["duplicate"] = True  # answered like the first, not delivered again
            return ok(msgid=msgid)
        if touser in state.unsubscribed:
            raise ApiError(43004)
        problems = violations(body.get("data"))
        if problems:
            raise ApiError(47003, "; ".join(problems))
        return ok(msgid=state.deliver_template(body))


@bp.post("/message/custom/send")
def custom_send():
    """Deliver a customer-service message (the 48-hour window is not emulated)."""
    body = json_body()
    touser, msgtype = body.get("touser"), body.get("msgtype")
    if not isinstance(touser, str) or not touser:
        raise ApiError(40003)
    if msgtype not in CUSTOM_TYPES or not isinstance(body.get(msgtype), dict):
        raise ApiError(40008)
    state = sandbox_state()
    with state.lock:
        if touser in state.unsubscribed:
            raise ApiError(43004)
        if msgtype in MEDIA_TYPES and not state.find_media(str(body[msgtype].get("media_id"))):
            raise ApiError(40007)
        state.deliver_custom(body)
    return ok()
