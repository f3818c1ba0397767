"""WeChat's answers: {"errcode": 0, "errmsg": "ok"}, the error codes and their errmsg wording.

WeChat answers HTTP 200 with an errcode in the JSON, and appends " rid: <request id>" to every
errmsg; so does the emulator, so clients that match on errmsg text break here first.
"""
from __future__ import annotations

import secrets

from flask import jsonify

# errcode → errmsg as WeChat words it (global return codes of the official-account API).
ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40008: "invalid message type",
    40009: "invalid image size",
    40010: "invalid voice size",
    40011: "invalid video size",
    40012: "invalid thumb size",
    40013: "invalid appid",
    40014: "invalid access_token",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40032: "invalid openid list size",
    40037: "invalid template_id",
    40050: "invalid tagid",
    40052: "invalid action name",
    40053: "invalid action info",
    40125: "invalid appsecret",
    40164: "invalid ip, not in whitelist",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    41006: "media_id missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    43004: "require subscribe",
    44001: "empty media data",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    45056: "too many tag now, no need to add new",
    45059: "tag num of user exceed the limit",
    45157: "invalid tag name",
    45158: "tag name too long",
    45159: "invalid tag id",
    46003: "menu no exist",
    47001: "data format error",
    47003: "argument invalid!",
    48001: "api unauthorized",
    65301: "menuid not exist",
    65303: "there is no selfmenu, please create selfmenu first",
    65304: "match rule empty",
}


class ApiError(Exception):
    """Raised by a handler to answer with a WeChat error code (and an optional detail)."""

    def __init__(self, errcode: int, detail: str = ""):
        super().__init__(errcode, detail)
        self.errcode, self.detail = errcode, detail


def answer(**fields):
    """A successful answer shaped like the API's own (token, tags, qrcode: no errcode)."""
    return jsonify(fields)


def ok(**fields):
    """{"errcode": 0, "errmsg": "ok", ...}: the answer of calls that only succeed or fail."""
    return jsonify({"errcode": 0, "errmsg": "ok", **fields})


def error(errcode: int, detail: str = ""):
    """An error answer worded like WeChat's, with a fresh rid."""
    message = ERRMSG.get(errcode, "sandbox fault")
    if detail:
        message = f"{message} {detail}"
    return jsonify({"errcode": errcode, "errmsg": f"{message} rid: {_rid()}"})


def _rid() -> str:
    return f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"
