"""The baseline: a bare Flask + wechatpy webhook doing one Redis GET per message.

Served by gunicorn exactly like the real app: gunicorn -w 2 'echo_app:create_app()'.
Settings come from the environment: ECHO_TOKEN, ECHO_REDIS_URL, ECHO_PREFIX.
"""
from __future__ import annotations

import os

import redis
from flask import Flask, Response, abort, request
from wechatpy import parse_message
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature


def create_app() -> Flask:
    """The echo webhook: verify, parse, GET the sender's key, reply with its value."""
    token = os.environ["ECHO_TOKEN"]
    prefix = os.environ.get("ECHO_PREFIX", "echo:")
    client = redis.Redis.from_url(os.environ["ECHO_REDIS_URL"], socket_timeout=5,
                                  socket_connect_timeout=2)
    app = Flask(__name__)

    @app.post("/wechat")
    def receive():
        args = request.args
        try:
            check_signature(token, args.get("signature", ""), args.get("timestamp", ""),
                            args.get("nonce", ""))
        except InvalidSignatureException:
            abort(403)
        msg = parse_message(request.get_data())
        value = client.get(f"{prefix}{msg.source}") or b"none"
        reply = TextReply(message=msg, content=f"echo {value.decode()}")
        return Response(reply.render(), mimetype="application/xml")

    @app.get("/healthz")
    def healthz():
        client.ping()
        return {"status": "ok"}

    return app
