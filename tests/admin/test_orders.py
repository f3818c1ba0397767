"""The back office's orders: list, filters, keyset paging, the order page and the desk's actions."""
import re
from datetime import timedelta

import pytest

from models.catalogue import FaultType
from models.orders import Attachment, OrderEvent, RepairOrder
from models.people import User
from models.staff import AuditLog, StaffAccount
from models.workflow import NewOrder, submit_order
from tests.admin_flows import TOKEN_RE, desk, log_in, make_staff, token
from tests.conftest import START
from tests.flows import delivered, dispatched_job, finished_job, plumber, report_leak
from wechat_bot.background.wake import wake_key

# The list's paging links, read like a browser would.
TOKEN_AFTER = re.compile(r'href="/admin/orders\?after=([^"&]+)')
TOKEN_NEXT = re.compile(r'href="/admin/orders\?[^"]*">下一页')


def orders_of(client, query="") -> str:
    return client.get(f"/admin/orders{query}").get_data(as_text=True)


def post(client, order, action, **form):
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    form["csrf_token"] = TOKEN_RE.search(page).group(1)
    return client.post(f"/admin/orders/{order.id}/{action}", data=form)


def new_order(reporter, now, description="灯不亮", where="1号楼101", category=None):
    return submit_order(NewOrder(reporter, category, where, description, "13800138000"), now)


def reporter() -> User:
    return User.get_or_create(openid="o_reporter_bulk_01",
                              defaults={"name": "张三", "created_at": START})[0]


def events(order, trigger):
    return list(OrderEvent.select().where(OrderEvent.order == order.id,
                                          OrderEvent.trigger == trigger))


def completed(client, clock, chat, worker):
    """A leaking tap reported, dispatched to 王师傅 and completed; (order, 王师傅's chat)."""
    wang, order = finished_job(client, chat, clock, worker, arrive=True)
    return order, wang


def test_the_list_filters_by_status_type_engineer_and_dates(app, client, clock, chat, worker):
    wang = plumber(client, clock)
    dispatched = report_leak(chat, "3号楼201")
    worker.run_until_idle()
    fresh = new_order(reporter(), START + timedelta(days=2), where="图书馆一楼")
    desk(client)
    everything = orders_of(client)
    assert dispatched.number in everything and fresh.number in everything
    assert everything.index(fresh.number) < everything.index(dispatched.number)  # newest first
    water = FaultType.get(FaultType.name == "水电").id
    assert fresh.number not in orders_of(client, f"?category={water}")
    assert dispatched.number not in orders_of(client, "?status=submitted&category=")
    by_engineer = orders_of(client, f"?engineer={User.get(User.openid == wang.openid).id}")
    assert dispatched.number in by_engineer and fresh.number not in by_engineer
    day = START.date()
    assert dispatched.number not in orders_of(client, f"?since={day + timedelta(days=1)}")
    assert fresh.number not in orders_of(client, f"?since={day}&until={day}")
    junk = orders_of(client, "?status=bogus&category=x&since=yesterday&after=nope")
    assert dispatched.number in junk and fresh.number in junk  # bad values are ignored


def test_unrated_low_score_and_overdue_filters(app, client, clock, chat, worker):
    desk(client)
    order, _ = completed(client, clock, chat, worker)
    chat.say(f"评价 {order.number} 1 太慢了")
    late = new_order(reporter(), clock.now() - timedelta(hours=30), where="体育馆")
    unrated = new_order(reporter(), clock.now(), where="食堂")
    RepairOrder.update(unrated=True, status="closed").where(RepairOrder.id == unrated.id).execute()
    low = orders_of(client, "?low=1")
    assert order.number in low and late.number not in low and unrated.number not in low
    unrated_only = orders_of(client, "?unrated=1")
    assert unrated.number in unrated_only and order.number not in unrated_only
    overdue = orders_of(client, "?overdue=1")
    assert late.number in overdue and order.number not in overdue and unrated.number not in overdue


def test_keyset_paging_walks_every_order_once(app, client, clock):
    desk(client)
    person = reporter()
    made = [new_order(person, START - timedelta(minutes=n // 3)) for n in range(63)]  # ties
    first = orders_of(client)
    numbers = [o.number for o in made]
    shown = [n for n in numbers if n in first]
    assert len(shown) == 50 and "下一页" in first
    after = TOKEN_AFTER.search(first).group(1)
    second = orders_of(client, f"?after={after}")
    rest = [n for n in numbers if n in second]
    assert len(rest) == 13 and not set(rest) & set(shown) and "下一页" not in second
    expected = sorted(made, key=lambda o: (o.submitted_at, o.id), reverse=True)
    assert [o.number for o in expected[:50]] == sorted(shown, key=first.index)


def test_paging_keeps_the_filters(app, client, clock):
    desk(client)
    person = reporter()
    for n in range(55):
        new_order(person, START - timedelta(minutes=n))
    first = orders_of(client, "?status=submitted&low=")
    assert "status=submitted" in TOKEN_NEXT.search(first).group(0)


def test_the_order_page_shows_facts_timeline_sla_and_photos(app, client, clock, chat, worker,
                                                             settings, tmp_path):
    desk(client)
    order = report_leak(chat)
    media = settings.data_path / "media" / "202611"
    media.mkdir(parents=True)
    (media / "1.jpg").write_bytes(b"\xff\xd8before")
    secret = tmp_path / "secret.txt"
    secret.write_text("not a photo")
    reporter_id = order.reporter_id
    good = Attachment.create(order=order, uploader=reporter_id, media_id="m1", stage="before",
                             file_path=str(media / "1.jpg"), downloaded=True, created_at=START)
    bad = Attachment.create(order=order, uploader=reporter_id, media_id="m2", stage="after",
                            file_path=str(secret), downloaded=True, created_at=START)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.number in page and "卫生间水龙头一直滴水" in page and "提交报修" in page
    assert "到场时限" in page and "2026-11-26 09:45" in page  # 15 minutes after the report
    assert f"/admin/photos/{good.id}" in page and "维修前" in page
    assert client.get(f"/admin/photos/{good.id}").data == b"\xff\xd8before"
    assert client.get(f"/admin/photos/{bad.id}").status_code == 404  # outside media/
    assert client.get("/admin/photos/999999").status_code == 404
    clock.advance(minutes=20)
    assert "已超时" in client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert client.get("/admin/orders/999999").status_code == 404


SLA_ROW = re.compile(r"<tr><td>(..时限)</td><td>([^<]*)</td><td>([^<]*)</td>\s*<td>(.*?)</td></tr>",
                     re.S)


def sla_rows(client, order) -> list[tuple]:
    """The order page's SLA table as the reader sees it: clock, due, done, verdict."""
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    return [(clock, due, done, re.sub(r"<[^>]+>", "", verdict).strip())
            for clock, due, done, verdict in SLA_ROW.findall(page)]


def test_a_finished_order_shows_each_clock_met_or_missed_with_its_time(
        app, client, clock, chat, worker):
    wang, order = dispatched_job(client, chat, clock, worker)        # reported 09:30
    clock.advance(minutes=3)
    wang.say("1")
    clock.advance(minutes=20)
    wang.say("到达")                                                 # 09:53: 8 minutes late
    clock.advance(minutes=40)
    wang.say(f"完成 {order.number} 更换阀芯")
    desk(client)
    assert sla_rows(client, order) == [
        ("接单时限", "2026-11-26 09:35", "2026-11-26 09:33", "按时"),
        ("到场时限", "2026-11-26 09:45", "2026-11-26 09:53", "超时"),
        ("完工时限", "2026-11-26 17:00", "2026-11-26 10:33", "按时")]
    chat.say(f"评价 {order.number} 5")
    clock.advance(days=5)
    log_in(client, "desk")                          # a login lasts one shift
    assert [row[3] for row in sla_rows(client, order)] == ["按时", "超时", "按时"]


def test_a_cancelled_order_shows_its_clocks_stopped(app, client, clock, chat):
    order = report_leak(chat)
    chat.say(f"取消 {order.number}")
    clock.advance(days=2)
    desk(client)
    assert [(row[0], row[3]) for row in sla_rows(client, order)] == [
        ("接单时限", "—"), ("到场时限", "已取消"), ("完工时限", "已取消")]


def test_dispatch_by_hand_shows_suggestions_and_tells_the_engineer(app, client, clock, chat,
                                                                   worker, sandbox, redis_db):
    order = report_leak(chat)
    worker.run_until_idle()  # nobody qualified yet: the order waits in the queue
    assert RepairOrder.get_by_id(order.id).queued_at is not None
    wang = plumber(client, clock)
    desk(client)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "王师傅" in page and "负责该区域" in page and "在手工单 0 单" in page
    engineer = User.get(User.openid == wang.openid)
    assert post(client, order, "dispatch", engineer=engineer.id).status_code == 302
    done = RepairOrder.get_by_id(order.id)
    assert (done.status, done.engineer_id, done.queued_at) == ("dispatched", engineer.id, None)
    event, = events(order, "dispatch")
    assert event.note == "派给王师傅（后台：desk）" and event.actor_id is None
    assert AuditLog.get(AuditLog.action == "order.dispatch").target == f"order:{order.number}"
    assert redis_db.lrange(wake_key("t:"), 0, -1)
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]
    again = post(client, order, "dispatch", engineer=engineer.id)  # no dispatched → dispatched
    assert "工单状态已变化" in client.get(again.location).get_data(as_text=True)


def test_dispatch_needs_an_active_engineer(app, client, clock, chat):
    order = report_leak(chat)
    desk(client)
    response = post(client, order, "dispatch", engineer="../1")
    assert "请选择一名在岗的维修人员" in client.get(response.location).get_data(as_text=True)
    assert RepairOrder.get_by_id(order.id).status == "submitted"


def test_cancel_needs_a_reason_and_tells_engineer_and_reporter(app, client, clock, chat, worker,
                                                              sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    desk(client)
    refused = post(client, order, "cancel", note="  ")
    assert "请填写取消原因" in client.get(refused.location).get_data(as_text=True)
    post(client, order, "cancel", note="重复报修")
    assert RepairOrder.get_by_id(order.id).status == "cancelled"
    assert events(order, "cancel")[0].note == "重复报修（后台：desk）"
    assert AuditLog.get(AuditLog.action == "order.cancel").detail == "重复报修"
    worker.run_until_idle()
    notices = delivered(sandbox, "cancelled")
    assert sorted(m["touser"] for m in notices) == sorted([wang.openid, chat.openid])
    assert {m["data"]["thing2"]["value"] for m in notices} == {"重复报修"}


def test_review_callback_and_close(app, client, clock, chat, worker):
    make_staff("desk", "supervisor", "主管老张")
    linked = User.create(openid="o_supervisor_zhang", name="老张", created_at=START)
    StaffAccount.update(user=linked).where(StaffAccount.username == "desk").execute()
    log_in(client, "desk")
    fresh = new_order(reporter(), clock.now())
    post(client, fresh, "review")
    assert RepairOrder.get_by_id(fresh.id).reviewed_at == clock.now()
    assert events(fresh, "review")[0].actor_id == linked.id
    order, _ = completed(client, clock, chat, worker)
    chat.say(f"评价 {order.number} 1 太慢了")
    assert RepairOrder.get_by_id(order.id).callback_needed
    post(client, order, "callback", note="已致歉，师傅明天复查")
    after = RepairOrder.get_by_id(order.id)
    assert after.status == "rated" and not after.callback_needed
    assert events(order, "callback")[0].note == "已致歉，师傅明天复查（后台：desk）"
    post(client, order, "close")
    assert RepairOrder.get_by_id(order.id).status == "closed"
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "回访" in page and "已关闭" in page and "老张" in page
    assert [row.action for row in AuditLog.select().where(AuditLog.action.startswith("order."))
            .order_by(AuditLog.id)] == ["order.review", "order.callback", "order.close"]


def test_reopen_sends_the_order_round_again(app, client, clock, chat, worker, sandbox):
    order, wang = completed(client, clock, chat, worker)
    desk(client)
    post(client, order, "reopen", note="又漏水了")
    again = RepairOrder.get_by_id(order.id)
    assert (again.status, again.engineer_id) == ("submitted", None)
    assert AuditLog.get(AuditLog.action == "order.reopen").target == f"order:{order.number}"
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).status == "dispatched"
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid, wang.openid]


def test_an_action_in_the_wrong_state_changes_nothing(app, client, clock, chat, worker):
    order, _ = completed(client, clock, chat, worker)
    desk(client)
    response = post(client, order, "cancel", note="不要了")
    assert "工单状态已变化" in client.get(response.location).get_data(as_text=True)
    assert RepairOrder.get_by_id(order.id).status == "completed"
    assert not AuditLog.select().where(AuditLog.action == "order.cancel").exists()


def test_leaders_read_but_do_not_act(app, client, clock, chat):
    order = report_leak(chat)
    desk(client, "leader")
    assert client.get("/admin/orders").status_code == 200
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.number in page and "派单</button>" not in page and "取消工单" not in page
    csrf = token(client, "/admin/")
    for action in ("review", "dispatch", "cancel", "reopen", "callback", "close"):
        response = client.post(f"/admin/orders/{order.id}/{action}",
                               data={"csrf_token": csrf, "note": "x"})
        assert response.status_code == 403
    assert RepairOrder.get_by_id(order.id).status == "submitted"
    assert not AuditLog.select().where(AuditLog.action.startswith("order.")).exists()


def test_the_admin_does_the_desk_work_too(app, client, clock, chat, worker, sandbox):
    wang = plumber(client, clock)
    order = report_leak(chat)
    desk(client, "admin", username="boss")
    assert "电话/来访报修" in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/phone-entry").status_code == 200
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "派单</button>" in page and "取消工单</button>" in page
    post(client, order, "dispatch", engineer=User.get(User.openid == wang.openid).id)
    assert RepairOrder.get_by_id(order.id).status == "dispatched"
    assert AuditLog.get(AuditLog.action == "order.dispatch").actor == "boss"
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]


def test_anonymous_visitors_go_to_login_and_posts_need_csrf(app, client, chat):
    order = report_leak(chat)
    for path in ("/admin/orders", f"/admin/orders/{order.id}", "/admin/photos/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/admin/login")
    desk(client)
    assert "工单管理" in client.get("/admin/").get_data(as_text=True)
    assert client.post(f"/admin/orders/{order.id}/cancel", data={"note": "x"}).status_code == 400
    assert RepairOrder.get_by_id(order.id).status == "submitted"


def test_what_users_typed_is_shown_escaped(app, client, clock):
    desk(client)
    evil = new_order(reporter(), clock.now(), description='<script>alert("d")</script>',
                     where="<img src=x onerror=alert(1)>")
    listing = orders_of(client)
    page = client.get(f"/admin/orders/{evil.id}").get_data(as_text=True)
    for html in (listing, page):
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in page and "&lt;script&gt;alert(&#34;d&#34;)&lt;/script&gt;" in page

