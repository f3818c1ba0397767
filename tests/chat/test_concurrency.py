"""Concurrent retries and submissions over real HTTP on loopback."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import redis
import requests

from models import db
from models.numbering import next_order_number
from models.orders import RepairOrder
from tests.wechat_sim import TOKEN
from wechat_bot.chat import router
from wechat_bot.chat.turn_store import TurnStore
from wechat_bot.cli.chat_client import WechatSigner


def wait_until(condition, timeout=10.0):
    """Poll `condition` until it holds; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.005)


def post(url, signer, xml, openid):
    signed = signer.sign(xml, openid)
    response = requests.post(f"{url}/wechat?{signed.query}", data=signed.body, timeout=20)
    return response.status_code, response.content


def test_retry_arriving_while_the_first_try_runs_waits_and_gets_the_same_reply(
        live_server, redis_db, monkeypatch):
    release, calls = threading.Event(), []

    def slow_handler(turn):
        calls.append(turn.msg.msg_id)
        release.wait(10)
        return "慢慢来"

    monkeypatch.setitem(router.COMMANDS, "慢", slow_handler)
    waiting, wait_for_reply = [], TurnStore.wait_for_reply

    def noted_wait(store, retry_key, timeout):
        waiting.append(retry_key)
        return wait_for_reply(store, retry_key, timeout)

    monkeypatch.setattr(TurnStore, "wait_for_reply", noted_wait)
    signer = WechatSigner(TOKEN)
    xml = signer.message_xml("o_retry_user_001", "text", Content="慢")
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(post, live_server, signer, xml, "o_retry_user_001")
        wait_until(lambda: calls)
        retries = [pool.submit(post, live_server, signer, xml, "o_retry_user_001")
                   for _ in range(2)]
        wait_until(lambda: len(waiting) == 2)   # both retries found the first try running
        release.set()
        answers = [f.result() for f in [first] + retries]
    assert len(calls) == 1
    assert all(a == answers[0] for a in answers) and b"\xe6\x85\xa2" in answers[0][1]


def test_concurrent_confirmations_get_distinct_numbers(live_server):
    signer = WechatSigner(TOKEN)
    users = [f"o_concurrent_{n:04d}" for n in range(24)]

    def report(openid):
        for text in ("报修", "1", "3号楼201", "水龙头漏水不停", "跳过", "13800138000 王同学", "计算机学院"):
            assert post(live_server, signer, signer.message_xml(openid, "text", Content=text),
                        openid)[0] == 200
        return openid

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(report, users))
        confirm = [pool.submit(post, live_server, signer,
                               signer.message_xml(u, "text", Content="确认"), u) for u in users]
        replies = [f.result() for f in confirm]
    assert all(status == 200 for status, _ in replies)
    numbers = [o.number for o in RepairOrder.select()]
    assert len(numbers) == len(set(numbers)) == 24
    assert sorted(numbers) == [f"BX20261126{n:04d}" for n in range(1, 25)]
    assert all(any(n.encode() in body for n in numbers) for _, body in replies)


def test_numbers_from_many_threads_are_unique_and_gapless(database):
    day = date(2026, 11, 26)

    def take(_):
        with db.atomic():
            return next_order_number(day)

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(take, range(200)))
    assert sorted(numbers) == [f"BX20261126{n:04d}" for n in range(1, 201)]


def test_numbers_grow_past_four_digits(database):
    from models.numbering import OrderSequence
    OrderSequence.create(day="20261126", last=9999)
    with db.atomic():
        assert next_order_number(date(2026, 11, 26)) == "BX2026112610000"


def test_a_retry_gets_the_busy_text_before_the_deadline_even_past_the_socket_timeout(
        settings, clock, database, redis_db, monkeypatch):
    # Production's Redis client gives up reading after 2 s, and a retry waits up to 4 s for
    # the first try: no read of that wait may meet the socket timeout (scaled down).
    from wechat_bot import create_app
    from wechat_bot.chat import runner
    from wechat_bot.redis_conn import FAST_RETRY
    from tests.wechat_sim import Chat

    pool = redis_db.connection_pool
    client = redis.Redis(connection_pool=redis.ConnectionPool(
        connection_class=pool.connection_class,
        **{**pool.connection_kwargs, "socket_timeout": 0.5}), retry=FAST_RETRY)
    monkeypatch.setattr(runner, "RETRY_WAIT", 1.5)
    release, calls = threading.Event(), []

    def stuck_handler(turn):
        calls.append(1)
        release.wait(10)
        return "终于好了"

    monkeypatch.setitem(router.COMMANDS, "卡住", stuck_handler)
    app = create_app(settings, clock=clock, redis_client=client)
    first, retry = Chat(app.test_client(), "o_stuck_user_01"), Chat(app.test_client(), "o_stuck_user_01")
    xml = first.signer.message_xml("o_stuck_user_01", "text", Content="卡住")
    with ThreadPoolExecutor(2) as threads:
        first_try = threads.submit(first.post_xml, xml)
        wait_until(lambda: calls)
        started = time.monotonic()
        answer = retry.signer.read_reply(retry.post_xml(xml).data).get("Content", "")
        waited = time.monotonic() - started
        release.set()
        first_try.result()
    assert "正在处理" in answer and "小差" not in answer
    assert waited < 1.5 + 0.5   # within the deadline, scaled down as the wait was
