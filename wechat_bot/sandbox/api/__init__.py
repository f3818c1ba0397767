"""The /cgi-bin routes: every call is recorded, its token checked and the fault plan asked first.

One module per WeChat API area, as wechatpy has them: token, message, menu, tags, media, qrcode.
"""
from __future__ import annotations

import json
import logging
import time

from flask import Blueprint, Flask, current_app, g, request

from wechat_bot.sandbox.replies import ApiError, error
from wechat_bot.sandbox.state import SandboxState

log = logging.getLogger("wechat_bot.sandbox")
bp = Blueprint("sandbox_api", __name__, url_prefix="/cgi-bin")
TOKEN_FREE = ("/cgi-bin/token", "/cgi-bin/stable_token")


def sandbox_state() -> SandboxState:
    return current_app.extensions["sandbox"]


def json_body() -> dict:
    """The JSON object posted (WeChat ignores Content-Type, and so does wechatpy)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiError(44002)
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(47001) from None
    if not isinstance(body, dict):
        raise ApiError(47001)
    return body


def install(app: Flask) -> None:
    """Register the routes and the hooks that run around every /cgi-bin call."""
    # Importing the area modules is what adds their routes to bp.
    from wechat_bot.sandbox.api import media, menu, message, qrcode, tags, token  # noqa: F401

    app.register_blueprint(bp)
    app.before_request(_before_call)
    app.after_request(_after_call)


def _before_call():
    """Record the call, then answer a token error or a planned fault instead of the API."""
    if not request.path.startswith("/cgi-bin/"):
        return None
    state = sandbox_state()
    g.sandbox_call = state.record_call(request.method, request.path, _recorded_query(),
                                       _recorded_body())
    g.sandbox_started = time.monotonic()
    if request.path not in TOKEN_FREE:
        with state.lock:
            errcode = state.tokens.check(request.args.get("access_token", ""))
        if errcode:
            return error(errcode)
    fault = state.take_fault(request.path)
    if fault is None:
        return None
    if fault.delay:
        time.sleep(fault.delay)  # hold the answer (outside the lock): the client times out
    return error(fault.errcode) if fault.errcode else None


def _after_call(response):
    call = g.pop("sandbox_call", None)
    if call is not None:
        errcode = _errcode_of(response)
        sandbox_state().finish_call(call, errcode)
        elapsed = (time.monotonic() - g.pop("sandbox_started")) * 1000
        log.info("%s %s → errcode %s (%.0f ms)", request.method, request.path, errcode, elapsed)
    return response


def _recorded_query() -> dict:
    """The query without the token; the secret masked (records and logs never hold either)."""
    return {key: ("***" if key == "secret" else value) for key, value in request.args.items()
            if key != "access_token"}


def _recorded_body():
    """The JSON body (secret masked), a summary of uploaded files, or None."""
    if request.files:
        return {"files": {name: _file_summary(item) for name, item in request.files.items()}}
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except ValueError:
        return request.get_data(cache=True).decode("utf-8", "replace")
    if isinstance(body, dict) and "secret" in body:
        body = {**body, "secret": "***"}
    return body


def _file_summary(upload) -> dict:
    size = len(upload.read())
    upload.seek(0)  # the handler reads it again
    return {"filename": upload.filename, "content_type": upload.mimetype, "size": size}


def _errcode_of(response) -> int:
    """The errcode answered: 0 for success shapes without one (tokens, tags, media bytes)."""
    if response.mimetype != "application/json":
        return 0 if response.status_code < 400 else response.status_code
    body = response.get_json(silent=True)
    return int(body.get("errcode", 0)) if isinstance(body, dict) else 0
