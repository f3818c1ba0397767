"""A back-office edit of the catalogue reaches every process serving the chat at once.

Each gunicorn worker keeps the catalogue in memory (handlers/catalogue_view.py); the edit
changes its version in Redis, which every turn reads with its state. Here the back office is
this test's app and the chat is gunicorn -w 2 on the same database and Redis: before the fix
its workers offered a switched-off category for up to a minute.
"""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from handlers import catalogue_view
from models.catalogue import FaultType
from tests.admin.test_catalogue_chat import switch
from tests.admin_flows import desk
from tests.chat.test_concurrency import wait_until
from tests.cli.test_cli import free_port
from tests.test_reconnect import _answers, say
from tests.wechat_sim import APP_ID, TOKEN
from wechat_bot.redis_conn import catalogue_key

ROOT = Path(__file__).resolve().parent.parent.parent
CUPBOARD = "宿舍柜门合页掉了，抽屉也坏了"   # the keywords of 门窗家具
GUESSED = "（门窗家具）"


def chat_config(tmp_path, database_url, redis_client) -> str:
    """The example config pointed at this test's database and Redis, with its key prefix."""
    redis_url = os.environ.get("REDIS_URL") or f"unix://{redis_client.socket_file}"
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for key, value in {"data_dir": str(tmp_path), "token": TOKEN, "app_id": APP_ID,
                       "prefix": "t:"}.items():
        text = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', text, count=1, flags=re.M)
    text = text.replace('url = "sqlite:///var/baoxiu.db"', f'url = "{database_url}"')
    text = text.replace('\nurl = ""', f'\nurl = "{redis_url}"', 1)
    path = tmp_path / "chat.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def gunicorn_chat(tmp_path, app, database_url, redis_db):
    """gunicorn -w 2 serving the chat, as the README deploys it."""
    port = free_port()
    env = {**os.environ, "WECHAT_BOT_CONFIG": chat_config(tmp_path, database_url, redis_db)}
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                            f"127.0.0.1:{port}", "wechat_bot:create_app()"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base), timeout=60)
        yield base
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)


def guesses(base: str, users: list[str]) -> list[bool]:
    """Whether each user's report of a broken cupboard was put under 门窗家具."""
    return [GUESSED in say(base, openid, CUPBOARD) for openid in users]


def test_switching_a_category_off_reaches_every_worker_at_once(client, gunicorn_chat):
    before = [f"o_workers_before_{n:02d}" for n in range(12)]
    assert guesses(gunicorn_chat, before) == [True] * 12   # both workers keep the catalogue
    desk(client, "supervisor")
    switch(client, "fault-types", FaultType.get(FaultType.name == "门窗家具"), False)
    after = [f"o_workers_after_{n:02d}" for n in range(12)]
    assert guesses(gunicorn_chat, after) == [False] * 12
    switch(client, "fault-types", FaultType.get(FaultType.name == "门窗家具"), True)
    again = [f"o_workers_again_{n:02d}" for n in range(12)]
    assert guesses(gunicorn_chat, again) == [True] * 12


def test_a_turn_drops_the_kept_catalogue_when_its_version_changed(chat, redis_db):
    """In one process: what is kept survives turns until the version in Redis changes."""
    chat.say(CUPBOARD)
    kept = catalogue_view.categories("repair")
    chat.say("取消")
    assert catalogue_view.categories("repair") is kept
    redis_db.set(catalogue_key("t:"), "another")
    chat.say("你好")
    assert catalogue_view.categories("repair") is not kept
