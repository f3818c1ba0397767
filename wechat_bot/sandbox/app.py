"""The emulator's app factory: routes, controls and WeChat-shaped error answers."""
from __future__ import annotations

from flask import Flask, jsonify, request

from wechat_bot.sandbox import api, control
from wechat_bot.sandbox.replies import ApiError, error
from wechat_bot.sandbox.state import SandboxState


def create_sandbox_app(app_id: str, app_secret: str, clock=None) -> Flask:
    """The emulator for one account; its state (and test controls) is app.extensions["sandbox"].

    clock: anything with .timestamp() -> int (wechat_bot.clock.ManualClock in tests);
    token expiry, client_msg_id dedup and media lifetime follow it.
    """
    app = Flask(__name__)
    app.json.ensure_ascii = False  # names and errmsg stay readable, as WeChat sends them
    app.json.sort_keys = False
    app.extensions["sandbox"] = SandboxState(app_id, app_secret, clock)
    api.install(app)
    app.register_blueprint(control.bp)
    app.register_error_handler(ApiError, lambda exc: error(exc.errcode, exc.detail))
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _wrong_method)
    return app


def _not_found(exc):
    if request.path.startswith("/cgi-bin/"):
        return error(48001, f"(the emulator does not provide {request.path})")
    return jsonify(error=f"no such control: {request.path}"), 404


def _wrong_method(exc):
    """WeChat answers a wrong HTTP method with an errcode, not with 405."""
    if request.path.startswith("/cgi-bin/"):
        return error(43002 if request.method == "GET" else 43001)
    return jsonify(error=f"{request.method} is not allowed on {request.path}"), 405

