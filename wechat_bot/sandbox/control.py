"""The controls under /_sandbox/ (JSON) for tests and demos: what was received, failures on purpose.

Each one calls the SandboxState method of the same purpose; in-process tests may call those
directly on app.extensions["sandbox"].
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from wechat_bot.sandbox.api import sandbox_state

bp = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")


@bp.errorhandler(ValueError)
def _bad_request(exc: ValueError):
    return jsonify(error=str(exc)), 400


def _body() -> dict:
    body = request.get_json(force=True, silent=True)
    if body is None and not request.get_data().strip():
        return {}
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _openids(body: dict, field: str) -> list:
    openids = body.get(field, [])
    if not isinstance(openids, list) or not all(isinstance(item, str) for item in openids):
        raise ValueError(f"{field} must be a list of openids")
    return openids


@bp.get("/")
def info():
    """Which account this is and where its API lives; also a readiness check."""
    state = sandbox_state()
    return jsonify(app_id=state.app_id, api_base_url=request.host_url + "cgi-bin/",
                   time=state.now())


@bp.get("/calls")
def calls():
    """Every /cgi-bin call received, oldest first (?path= for one API)."""
    return jsonify(calls=sandbox_state().calls(request.args.get("path")))


@bp.get("/templates/delivered")
def templates_delivered():
    return jsonify(messages=sandbox_state().delivered_templates())


@bp.get("/custom/delivered")
def custom_delivered():
    return jsonify(messages=sandbox_state().delivered_custom())


@bp.get("/qrcodes")
def qrcodes():
    return jsonify(qrcodes=sandbox_state().issued_qrcodes())


@bp.get("/faults")
def faults():
    return jsonify(faults=sandbox_state().pending_faults())


@bp.post("/faults")
def add_fault():
    """{"path", "errcode"?, "delay"? (seconds), "times"? (1)}: the next calls to path fail."""
    body = _body()
    fault = sandbox_state().add_fault(body.get("path", ""), body.get("errcode"),
                                      body.get("delay", 0.0), body.get("times", 1))
    return jsonify(ok=True, fault=fault)


@bp.post("/users")
def users():
    """{"unsubscribed": [openids], "subscribed": [openids]}: who follows the account."""
    body = _body()
    unsubscribed, subscribed = _openids(body, "unsubscribed"), _openids(body, "subscribed")
    state = sandbox_state()
    state.unsubscribe(*unsubscribed)
    state.subscribe(*subscribed)
    return jsonify(ok=True)


@bp.post("/tokens/expire")
def expire_tokens():
    """Every token issued so far answers 42001 from now on."""
    sandbox_state().expire_tokens()
    return jsonify(ok=True)


@bp.post("/tokens/invalidate")
def invalidate_tokens():
    """Every token issued so far answers 40001 from now on."""
    sandbox_state().invalidate_tokens()
    return jsonify(ok=True)


@bp.post("/media")
def issue_media():
    """{"type": "image"|"voice", "media_id"?}: a media id as if a user had sent it."""
    body = _body()
    media_id = body.get("media_id")
    if media_id is not None and (not isinstance(media_id, str) or not media_id):
        raise ValueError("media_id must be a non-empty string")
    return jsonify(media_id=sandbox_state().issue_media(body.get("type", "image"), media_id))


@bp.post("/reset")
def reset():
    """Forget everything: tokens, users, menus, tags, media, records and faults."""
    sandbox_state().reset()
    return jsonify(ok=True)
