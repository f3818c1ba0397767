"""The /wechat endpoint: signature checks, decryption, parsing, and the reply (encrypted in AES mode).

Bad requests never reach a handler: a forged or missing signature is 403 with no body, an
unreadable body is 400, an oversized one 413. https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request

from wechat_bot.inbound import BadMessage, parse_message, parse_xml
from wechat_bot.signing import CryptoError, signature_ok

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)


@bp.get("/wechat")
def verify_server():
    """WeChat's server check: echo `echostr` when the signature is ours."""
    _check_signature()
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat")
def receive():
    """A message or event from a user."""
    bot = current_app.extensions["baoxiu"]
    _check_signature()
    encrypted = request.args.get("encrypt_type", "raw").lower() == "aes"
    body = request.get_data(cache=False)
    try:
        msg = parse_message(_decrypt(bot, body) if encrypted else body)
    except (BadMessage, CryptoError) as exc:
        log.warning("rejected webhook body: %s", exc)
        abort(400)
    reply = bot.runner.handle(msg)
    if encrypted and reply != "success":
        args = request.args
        reply = bot.cipher.encrypt_reply(reply, args["nonce"], args["timestamp"])
    return Response(reply, mimetype="application/xml")


def _check_signature() -> None:
    """403 unless `signature` matches and the timestamp is fresh (replay protection)."""
    bot = current_app.extensions["baoxiu"]
    args = request.args
    timestamp = args.get("timestamp")
    if not signature_ok(args.get("signature"), bot.settings.wechat.token, timestamp,
                        args.get("nonce")):
        abort(403)
    skew = bot.settings.wechat.max_timestamp_skew
    if skew and not (timestamp.isdigit() and abs(bot.clock.timestamp() - int(timestamp)) <= skew):
        log.warning("rejected webhook call with stale timestamp %s", timestamp[:20])
        abort(403)


def _decrypt(bot, body: bytes) -> str:
    """The inner XML of a compatible- or safe-mode body, after checking msg_signature."""
    if bot.cipher is None:
        raise CryptoError("encrypted message but wechat.encoding_aes_key is not set")
    encrypted = parse_xml(body).get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise BadMessage("no Encrypt field")
    args = request.args
    if not signature_ok(args.get("msg_signature"), bot.settings.wechat.token,
                        args.get("timestamp"), args.get("nonce"), encrypted):
        abort(403)
    return bot.cipher.decrypt(encrypted)
