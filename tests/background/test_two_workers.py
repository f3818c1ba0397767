"""Two workers at once on PostgreSQL (as production runs `run.py worker` twice): every order
dispatched once and every notice sent once, the workers skipping what the other holds."""
import os
import threading

import pytest

from models.database import db
from models.notifications import Notification
from models.orders import OrderEvent, RepairOrder
from tests.flows import delivered, plumber, report_leak
from tests.wechat_sim import Chat
from wechat_bot.background.worker import Worker

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                                reason="PostgreSQL only: row locks with SKIP LOCKED")
SEND = "/cgi-bin/message/template/send"


def test_two_workers_dispatch_and_notify_each_order_once(client, chat, clock, settings,
                                                        redis_db, sandbox, worker):
    plumber(client, clock)
    orders = [report_leak(Chat(client, f"o_reporter_two_{n}")) for n in range(8)]
    workers, start = [worker, Worker(settings, redis_db, clock)], threading.Barrier(2)

    def rounds(one: Worker) -> None:
        start.wait()
        one.run_until_idle()
        db.close()   # this thread's connection

    threads = [threading.Thread(target=rounds, args=(one,)) for one in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(RepairOrder.get_by_id(o.id).status == "dispatched" for o in orders)
    assert OrderEvent.select().where(OrderEvent.trigger == "dispatch").count() == 8
    assert Notification.select().where(Notification.kind == "new_job").count() == 8
    assert len(delivered(sandbox, "new_job")) == 8
    assert len(delivered(sandbox, "order_received")) == 8
    assert not any(call["duplicate"] for call in sandbox.state.calls(SEND))   # none sent twice
