"""The back office when Redis or the database is gone: a page that says so, never a bare 500."""
import logging
import socket
from dataclasses import replace

import redis

from tests import admin_flows
from wechat_bot import create_app


def closed_port() -> int:
    with socket.socket() as probe:   # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_redis_gone_under_a_logged_in_desk_gets_the_service_page(app, client, caplog):
    admin_flows.desk(client)
    assert client.get("/admin/orders").status_code == 200
    app.extensions["baoxiu"].redis = redis.Redis(port=closed_port(), socket_connect_timeout=0.5)
    with caplog.at_level(logging.ERROR):
        page = client.get("/admin/orders")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "系统暂时连不上数据库或缓存服务" in page.get_data(as_text=True)
    assert "back office: GET /admin/orders failed" in caplog.text


def test_a_login_while_the_database_is_down_gets_the_service_page(settings, clock, redis_db):
    broken = replace(settings, database=replace(
        settings.database, url=f"postgresql://nobody@127.0.0.1:{closed_port()}/none"))
    client = create_app(broken, clock=clock, redis_client=redis_db).test_client()
    page = admin_flows.log_in(client)
    assert page.status_code == 503
    assert "请稍等一两分钟后刷新页面" in page.get_data(as_text=True)
