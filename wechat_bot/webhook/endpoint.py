"""The /wechat endpoint: signature checks, decryption, parsing, and the reply (encrypted in AES mode).

Bad requests never reach a handler: a forged or missing signature is 403 with no body, an
unreadable body is 400, an oversized one 413. https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html

Messages (POST) are answered by WebhookMiddleware before Flask sees them: Flask's request
machinery costs about as much CPU as a whole chat turn's own work, and every message pays it.
The rare GET verification is an ordinary Flask view. Both share the checks below.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Mapping, Optional
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.wsgi import get_input_stream

from wechat_bot.webhook.inbound import BadMessage, parse_message, parse_xml
from wechat_bot.webhook.signing import CryptoError, signature_ok

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)
PATH = "/wechat"


@dataclass(frozen=True)
class Answer:
    """What to send back: a status, and the reply XML when it is 200."""
    status: int
    body: str = ""


@bp.get(PATH)
def verify_server():
    """WeChat's server check: echo `echostr` when the signature is ours."""
    if not signature_fresh(current_app.extensions["baoxiu"], request.args):
        abort(403)
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


def answer_message(bot, args: Mapping[str, str], body: bytes) -> Answer:
    """A message or event from a user: the bot's reply, or the status of a bad request."""
    if not signature_fresh(bot, args):
        return Answer(403)
    encrypted = args.get("encrypt_type", "raw").lower() == "aes"
    try:
        inner = _decrypt(bot, args, body) if encrypted else body
        if inner is None:
            return Answer(403)
        msg = parse_message(inner)
    except (BadMessage, CryptoError) as exc:
        log.warning("rejected webhook body: %s", exc)
        return Answer(400)
    reply = bot.runner.handle(msg)
    if encrypted and reply != "success":
        reply = bot.cipher.encrypt_reply(reply, args["nonce"], args["timestamp"])
    return Answer(200, reply)


def signature_fresh(bot, args: Mapping[str, str]) -> bool:
    """`signature` matches and the timestamp is fresh (replay protection)."""
    timestamp = args.get("timestamp")
    if not signature_ok(args.get("signature"), bot.settings.wechat.token, timestamp,
                        args.get("nonce")):
        return False
    skew = bot.settings.wechat.max_timestamp_skew
    if skew and not (timestamp.isdigit() and abs(bot.clock.timestamp() - int(timestamp)) <= skew):
        log.warning("rejected webhook call with stale timestamp %s", timestamp[:20])
        return False
    return True


def _decrypt(bot, args: Mapping[str, str], body: bytes) -> Optional[str]:
    """The inner XML of a compatible- or safe-mode body; None when msg_signature is wrong."""
    if bot.cipher is None:
        raise CryptoError("encrypted message but wechat.encoding_aes_key is not set")
    encrypted = parse_xml(body).get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise BadMessage("no Encrypt field")
    if not signature_ok(args.get("msg_signature"), bot.settings.wechat.token,
                        args.get("timestamp"), args.get("nonce"), encrypted):
        return None
    return bot.cipher.decrypt(encrypted)


class WebhookMiddleware:
    """Answers POST /wechat straight from WSGI; every other request goes on to Flask."""

    def __init__(self, app: Flask):
        self.app, self.flask = app, app.wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.flask(environ, start_response)
        bot = self.app.extensions["baoxiu"]
        try:
            body = _body(environ, bot.settings.app.max_body_bytes)
            answer = answer_message(bot, _query(environ), body) if body is not None \
                else Answer(413)
        except Exception:  # as Flask would: log it, answer 500, never a traceback to WeChat
            log.exception("webhook failed")
            answer = Answer(500)
        payload = answer.body.encode()
        kind = "application/xml; charset=utf-8" if answer.status == 200 else "text/plain"
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}",
                       [("Content-Type", kind), ("Content-Length", str(len(payload)))])
        return [payload]


def _body(environ, limit: int) -> Optional[bytes]:
    """The request body, or None when it is longer than `limit` (with or without a length)."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > limit:
        return None  # refused unread
    # A chunked body has no length: read one byte past the limit to know it is too long.
    body = get_input_stream(environ).read(limit + 1)
    return body if len(body) <= limit else None


def _query(environ) -> dict[str, str]:
    """The query string's parameters; the first of repeated ones, as Flask's request.args."""
    args: dict[str, str] = {}
    for name, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        args.setdefault(name, value)
    return args
