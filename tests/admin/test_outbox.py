"""The back office's outbox: counts, the filtered list, paging, and retrying by hand."""
import re
from datetime import timedelta

import pytest

from models.notifications import Notification, pending_values, write_pending
from models.people import User
from models.staff import AuditLog
from tests import admin_flows
from tests.admin_flows import TOKEN_RE, token
from tests.conftest import START
from tests.flows import delivered, report_leak
from wechat_bot.background.wake import wake_key

SEND = "/cgi-bin/message/template/send"
TOKEN_AFTER = re.compile(r'href="/admin/outbox\?[^"]*after=(\d+)')


def desk(client, role="supervisor", username="desk"):
    """A logged-in supervisor by default: only they and admins may retry."""
    admin_flows.desk(client, role, username, "主管老周")


def outbox_of(client, query="") -> str:
    return client.get(f"/admin/outbox{query}").get_data(as_text=True)


def retry(client, note, **form):
    form.setdefault("csrf_token", TOKEN_RE.search(outbox_of(client)).group(1))
    return client.post(f"/admin/outbox/{note.id}/retry", data=form)


def the_notification() -> Notification:
    return Notification.get(Notification.kind == "order_received")


def dead_receipt(chat, worker, sandbox):
    """The reporter unfollowed, so their 报修受理通知 is dead; (order, notification)."""
    sandbox.state.unsubscribe(chat.openid)
    order = report_leak(chat)
    worker.run_until_idle()
    User.update(name="张三").where(User.openid == chat.openid).execute()
    return order, the_notification()


def bulk(count: int) -> list[Notification]:
    person = User.create(openid="o_bulk_recipient_0001", name="李四", created_at=START)
    return [write_pending(None, pending_values("digest", person, "TPL_DIGEST", {"context": {}},
                                                START + timedelta(seconds=n)))
            for n in range(count)]


def test_a_dead_message_is_listed_with_its_reason_and_retried_once(
        app, client, clock, chat, worker, sandbox, redis_db):
    order, note = dead_receipt(chat, worker, sandbox)
    desk(client)
    page = outbox_of(client, "?status=dead")
    assert note.status == "dead" and "报修受理通知" in page and "43004" in page
    assert f'href="/admin/orders/{order.id}">{order.number}</a>' in page
    assert "张三" in page and chat.openid not in page and chat.openid[-5:] in page  # masked
    sandbox.state.subscribe(chat.openid)
    clock.advance(minutes=5)
    response = retry(client, note)
    assert response.status_code == 302 and "已重新排队" in outbox_of(client)
    again = the_notification()
    assert (again.status, again.attempts, again.next_attempt_at) == ("pending", 0, clock.now())
    assert again.client_msg_id == note.client_msg_id
    assert AuditLog.get(AuditLog.action == "outbox.retry").target == f"notification:{note.id}"
    assert redis_db.lrange(wake_key("t:"), 0, -1)
    worker.run_until_idle()
    assert the_notification().status == "sent" and len(delivered(sandbox, "order_received")) == 1


def test_a_sent_message_is_not_sent_again(app, client, chat, worker, sandbox):
    report_leak(chat)
    worker.run_until_idle()
    desk(client)
    note = the_notification()
    assert note.status == "sent" and "立即重发" not in outbox_of(client)
    page = client.get(retry(client, note).location).get_data(as_text=True)
    assert "已发送成功，无需重发" in page
    assert not AuditLog.select().where(AuditLog.action == "outbox.retry").exists()
    worker.run_until_idle()
    assert len(delivered(sandbox, "order_received")) == 1


def test_counts_and_the_status_filter(app, client, clock, chat, worker, sandbox):
    sandbox.state.add_fault(SEND, errcode=-1)  # the first try is busy: a retry is due later
    report_leak(chat)
    worker.run_until_idle()
    waiting = bulk(2)
    desk(client)
    retrying = outbox_of(client, "?status=retrying")
    assert "重试中 <strong>1</strong>" in retrying and "待发送 <strong>3</strong>" in retrying
    assert "报修受理通知" in retrying and "报修日报" not in retrying
    pending = outbox_of(client, "?status=pending")
    assert "报修日报" in pending and "报修受理通知" in pending
    assert "报修日报" not in outbox_of(client, "?status=sent")
    assert "没有符合条件的消息" in outbox_of(client, "?status=dead")
    assert str(waiting[0].id) in outbox_of(client, "?status=bogus")  # a bad value shows all


def test_keyset_paging_walks_every_message_once(app, client):
    made = bulk(63)
    desk(client, "dispatcher")
    first = outbox_of(client, "?status=pending")
    after = TOKEN_AFTER.search(first).group(1)
    assert "下一页" in first and "status=pending" in first
    second = outbox_of(client, f"?status=pending&after={after}")
    assert "下一页" not in second and "回到第一页" in second
    ids = [n.id for n in made]
    shown = [i for i in ids if f"<td>{i}</td>" in first]
    rest = [i for i in ids if f"<td>{i}</td>" in second]
    assert shown == ids[-50:] and rest == ids[:13]
    assert first.index(f"<td>{ids[-1]}</td>") < first.index(f"<td>{ids[-2]}</td>")  # newest first


def test_dispatchers_see_but_cannot_retry_and_leaders_cannot_see(
        app, client, chat, worker, sandbox):
    _, note = dead_receipt(chat, worker, sandbox)
    desk(client, "dispatcher")
    page = outbox_of(client)
    assert "43004" in page and "立即重发" not in page
    assert "消息发送" in client.get("/admin/").get_data(as_text=True)
    assert retry(client, note, csrf_token=token(client, "/admin/")).status_code == 403
    assert the_notification().status == "dead"
    client.post("/admin/logout", data={"csrf_token": token(client, "/admin/")})
    desk(client, "leader", "lead")
    assert client.get("/admin/outbox").status_code == 403
    assert "消息发送" not in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_retry_needs_the_csrf_token(app, client, chat, worker, sandbox, role):
    _, note = dead_receipt(chat, worker, sandbox)
    desk(client, role)
    assert "立即重发" in outbox_of(client)
    assert client.post(f"/admin/outbox/{note.id}/retry").status_code == 400
    assert the_notification().status == "dead"
    assert not AuditLog.select().where(AuditLog.action == "outbox.retry").exists()


def test_anonymous_visitors_go_to_login(app, client):
    response = client.get("/admin/outbox")
    assert response.status_code == 302 and response.location.startswith("/admin/login")
