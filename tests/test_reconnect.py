"""The deployed process model survives PostgreSQL dropping every connection (a restart, a
failover, pg_terminate_backend): gunicorn -w 2 and a `run.py worker` carry on without a restart."""
import os

import psycopg2
import pytest
import requests

from models.invites import create_invite
from tests.chat.test_concurrency import wait_until
from tests.conftest import START
from tests.deployment import example_config, log_tail, say, serving
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                                reason="PostgreSQL only: SQLite has no server to drop connections")


@pytest.fixture
def deployed(tmp_path, app, sandbox, redis_db):
    """gunicorn -w 2 serving the app and one `run.py worker`, as the README deploys them."""
    config = example_config(tmp_path, "deployed", DATABASE_URL, redis_db,
                            app_secret=SANDBOX_SECRET, api_base_url=sandbox.url)
    with serving(config, worker=True) as base:
        # The worker is up once it finished a round (its heartbeat): dropping connections while
        # it still checks the schema at start-up kills it there, which only a supervisor mends.
        wait_until(lambda: requests.get(f"{base}/healthz", timeout=5).json()["worker"] == "ok",
                   timeout=60)
        yield base, config


def drop_every_connection() -> int:
    """What a restart does to the app's connections: all of them are gone."""
    admin = psycopg2.connect(DATABASE_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        dropped = cursor.fetchone()[0]
    admin.close()
    return dropped


def test_after_every_connection_is_dropped_turns_answer_and_orders_are_dispatched(
        deployed, sandbox):
    deployed, config = deployed
    code = create_invite("engineer", START, 7, name="王师傅", phone="13700000001",
                         skills="水电", department="工程部").code
    assert "绑定成功" in say(deployed, "o_reconnect_eng_1", f"绑定 {code}")
    for number in range(4):  # every gunicorn worker and the worker hold a connection now
        assert "请描述一下是什么问题" in say(deployed, f"o_reconnect_warm_{number}", "报修")

    assert drop_every_connection() >= 2

    first_contacts = [say(deployed, f"o_reconnect_new_{n:02d}", "报修") for n in range(12)]
    assert all("请描述一下是什么问题" in reply for reply in first_contacts), first_contacts
    summary = say(deployed, "o_reconnect_reporter",
                  "3号楼201 卫生间水龙头一直滴水 13800138000 王同学")
    if "请回复“确认”提交" not in summary:   # the unit is asked when [conversation] wants one
        summary = say(deployed, "o_reconnect_reporter", "计算机学院")
    assert "请回复“确认”提交" in summary, summary
    assert "提交成功" in say(deployed, "o_reconnect_reporter", "确认")
    try:   # a round that met the dead connection fails once, then waits poll_seconds (5 s)
        wait_until(lambda: any(t["touser"] == "o_reconnect_eng_1" and
                               t["template_id"] == "TPL_NEW_JOB"
                               for t in sandbox.state.delivered_templates()), timeout=60)
    except pytest.fail.Exception:
        pytest.fail(f"no dispatch notice within 60 s; the worker said:\n"
                    f"{log_tail(config, 'worker')}")
