"""Exactly one order per draft: the draft's submission key is stored on the order under a
unique constraint, so a 确认 sent again (after a stall longer than the per-user lock, or after
Redis lost the turn's save) answers with the order already made."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from models.notifications import Notification
from models.orders import RepairOrder
from tests.chat.test_concurrency import wait_until
from tests.flows import give_contact

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def to_summary(chat) -> None:
    chat.say("报修 3号楼201 水龙头漏水")
    give_contact(chat)


def test_a_confirm_replayed_after_redis_lost_the_save_gives_the_same_order(chat, redis_db):
    to_summary(chat)
    draft = redis_db.get(f"t:draft:{chat.openid}")
    first = chat.say("确认")
    redis_db.set(f"t:draft:{chat.openid}", draft)   # as if FINISH never reached Redis
    again = chat.say("确认")
    order = RepairOrder.get()
    assert first == again and order.number in again
    assert RepairOrder.select().count() == 1
    assert Notification.select().where(Notification.kind == "order_received").count() == 1


@pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                    reason="PostgreSQL only: a psql session holds the order-number row lock")
def test_a_confirm_stalled_past_the_user_lock_and_sent_again_makes_one_order(app, chat, redis_db):
    to_summary(chat)
    app.extensions["baoxiu"].runner.store.lock_ms = 300   # the 15 s lock, scaled down
    holder = psycopg2.connect(DATABASE_URL)
    with holder.cursor() as cursor:   # BEGIN; SELECT * FROM order_sequence FOR UPDATE;
        cursor.execute("INSERT INTO order_sequence (day, last) VALUES ('20261126', 0) "
                       "ON CONFLICT DO NOTHING")
        holder.commit()
        cursor.execute("SELECT * FROM order_sequence FOR UPDATE")
    waiting = lambda n: _waiting_on_locks() >= n   # noqa: E731
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(chat.say, "确认")
        wait_until(lambda: waiting(1), timeout=20)
        wait_until(lambda: not redis_db.exists(f"t:lock:{chat.openid}"), timeout=20)
        second = pool.submit(chat.say, "确认")   # the user, seeing nothing, sends it again
        wait_until(lambda: waiting(2), timeout=20)
        holder.commit()   # the stall ends
        replies = [first.result(timeout=30), second.result(timeout=30)]
    holder.close()
    order = RepairOrder.get()
    assert RepairOrder.select().count() == 1
    assert all(order.number in reply and "提交成功" in reply for reply in replies), replies


def _waiting_on_locks() -> int:
    """Sessions of the test database blocked on a lock."""
    with psycopg2.connect(DATABASE_URL) as watcher, watcher.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]
