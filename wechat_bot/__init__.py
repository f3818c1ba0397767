"""报修 bot: a WeChat official account backend for repair work orders.

`create_app()` is the WSGI entry point (gunicorn 'wechat_bot:create_app()').
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Optional

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from models import open_database
from wechat_bot.chat.runner import TurnRunner
from wechat_bot.chat.turn_store import TurnStore
from wechat_bot.clock import Clock
from wechat_bot.config import Settings, load_settings
from wechat_bot.logs import setup_logging
from wechat_bot.redis_conn import connect_redis
from wechat_bot.texts import TEMPLATES_DIR, Texts
from wechat_bot.webhook.signing import MessageCipher
from wechat_bot.wechat_api.notify import Notifier

# Drafts stay in Redis this long past their idle limit, so a late user can be told they lapsed.
DRAFT_GRACE_SECONDS = 86400
_FROZEN = False   # see _freeze_once


@dataclass
class Bot:
    """The per-process services a request uses, built once by create_app."""
    settings: Settings
    clock: Clock
    redis: object
    texts: Texts
    runner: TurnRunner
    cipher: Optional[MessageCipher]
    notifier: Notifier


def create_app(settings: Optional[Settings] = None, clock: Optional[Clock] = None,
               redis_client=None) -> Flask:
    """Build the Flask app; connections open lazily, nothing at import time."""
    settings = settings or load_settings()
    setup_logging(settings.app.log_level, settings.app.timezone)
    clock = clock or Clock(settings.app.timezone)
    open_database(settings.database_url)
    client = redis_client or connect_redis(settings.redis.url, settings.data_path)
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR))
    app.config.update(MAX_CONTENT_LENGTH=settings.app.max_body_bytes,
                      SECRET_KEY=settings.app.secret_key or None)
    app.extensions["baoxiu"] = _build_bot(settings, clock, client)
    _register(app)
    _freeze_once()
    return app


def _freeze_once() -> None:
    """Move what the process holds now out of the cyclic collector's view, the first time only.

    A server process builds one app and keeps it: frozen, the collections a request triggers
    walk only that request's objects (about 8% of a turn). Only the first app: frozen garbage
    is never freed, and a process that builds app after app (the tests) would keep every
    earlier one, database connections included.
    """
    global _FROZEN
    if not _FROZEN:
        gc.freeze()
        _FROZEN = True


def _build_bot(settings: Settings, clock: Clock, client) -> Bot:
    texts = Texts()
    draft_ttl = settings.conversation.idle_minutes * 60 + DRAFT_GRACE_SECONDS
    store = TurnStore(client, settings.redis.prefix, draft_ttl)
    wx = settings.wechat
    cipher = (MessageCipher(wx.token, wx.app_id, wx.encoding_aes_key,
                            wx.previous_encoding_aes_key) if wx.encoding_aes_key else None)
    notifier = Notifier(settings.templates, texts)
    return Bot(settings=settings, clock=clock, redis=client, texts=texts, cipher=cipher,
               notifier=notifier, runner=TurnRunner(store, settings, clock, texts, notifier))


def _register(app: Flask) -> None:
    from wechat_bot import admin
    from wechat_bot.webhook import endpoint, health

    app.register_blueprint(endpoint.bp)
    hops = app.extensions["baoxiu"].settings.app.proxy_hops
    if hops:  # behind nginx: the client's address and scheme come from its headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.wsgi_app = endpoint.WebhookMiddleware(app)  # messages skip Flask: see endpoint.py
    app.register_blueprint(health.bp)
    admin.init_app(app)  # sessions, CSRF on every form, the /admin pages
    admin.csrf.exempt(endpoint.bp)  # WeChat signs its posts instead
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, _empty_error(code))


def _empty_error(code: int):
    """Errors answer with the status alone: no HTML page, never a traceback."""
    return lambda exc: Response("", status=code)
