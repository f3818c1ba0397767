"""The webhook's fast path at the edges: bodies without a length, other methods, Redis down."""
import logging
from dataclasses import replace
import socket

import redis
import requests

from tests.wechat_sim import Chat
from wechat_bot import create_app
from wechat_bot.cli.chat_client import WechatSigner


def signed(openid="o_edge_user_0001", content="报修"):
    signer = WechatSigner("test-token")
    return signer.sign(signer.message_xml(openid, "text", Content=content), openid)


def test_a_chunked_body_is_read_and_an_endless_one_is_413(live_server):
    message = signed()
    ok = requests.post(f"{live_server}/wechat?{message.query}", data=iter([message.body]),
                       timeout=10)   # a generator: sent chunked, with no Content-Length
    assert ok.status_code == 200 and "请描述一下是什么问题" in ok.text
    huge = signed(content="漏" * 40000)
    too_big = requests.post(f"{live_server}/wechat?{huge.query}", data=iter([huge.body]),
                            timeout=10)
    assert (too_big.status_code, too_big.content) == (413, b"")


def test_other_methods_and_paths_are_flasks(client):
    message = signed()
    assert client.put(f"/wechat?{message.query}", data=message.body).status_code == 405
    assert client.post(f"/wechat/?{message.query}", data=message.body).status_code in (404, 308)
    assert client.get("/healthz").status_code == 200


def test_repeated_query_parameters_use_the_first_as_flask_does(client):
    message = signed()
    answer = client.post(f"/wechat?{message.query}&signature=forged", data=message.body)
    assert answer.status_code == 200


def closed_port() -> int:
    with socket.socket() as probe:   # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_redis_down_gets_a_polite_apology_and_a_masked_log(settings, clock, database, caplog):
    dead = redis.Redis(port=closed_port(), socket_connect_timeout=0.5, socket_timeout=0.5)
    app = create_app(settings, clock=clock, redis_client=dead)
    with caplog.at_level(logging.ERROR):
        reply = Chat(app.test_client(), "o_edge_user_0002").say("报修")
    assert "抱歉" in reply
    assert "redis unavailable" in caplog.text and "o_edge_user_0002" not in caplog.text


def test_a_database_down_gets_the_apology_too(settings, clock, redis_db, caplog):
    broken = replace(settings, database=replace(
        settings.database, url=f"postgresql://nobody@127.0.0.1:{closed_port()}/none"))
    app = create_app(broken, clock=clock, redis_client=redis_db)
    with caplog.at_level(logging.ERROR):
        reply = Chat(app.test_client(), "o_edge_user_0003").say("报修")
    assert "抱歉" in reply and "turn failed" in caplog.text
    assert "o_edge_user_0003" not in caplog.text
