"""A back-office edit of the catalogue reaches every process serving the chat at once.

Each gunicorn worker keeps the catalogue in memory (handlers/catalogue_view.py); the edit
changes its version in Redis, which every turn reads with its state. Here the back office is
this test's app and the chat is gunicorn -w 2 on the same database and Redis: before the fix
its workers offered a switched-off category for up to a minute.
"""
import pytest

from handlers import catalogue_view
from models.catalogue import FaultType
from tests.admin.test_catalogue_chat import switch
from tests.admin_flows import desk
from tests.deployment import example_config, say, serving
from wechat_bot.redis_conn import catalogue_key

CUPBOARD = "宿舍柜门合页掉了，抽屉也坏了"   # the keywords of 门窗家具
GUESSED = "（门窗家具）"


@pytest.fixture
def gunicorn_chat(tmp_path, app, database_url, redis_db):
    """gunicorn -w 2 serving the chat, as the README deploys it."""
    with serving(example_config(tmp_path, "chat", database_url, redis_db)) as base:
        yield base


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
