"""Urgent orders first in every list, and marked 紧急 wherever an order is shown or printed."""
import re
from datetime import timedelta

from models.catalogue import FaultType
from models.database import db, is_sqlite
from models.orders import URGENT, RepairOrder, open_urgent
from models.workflow import fire
from tests.admin.test_orders import TOKEN_AFTER, new_order, orders_of, reporter
from tests.admin_flows import desk
from tests.conftest import START
from tests.flows import plumber, report_leak

PINNED = "未完成的紧急工单"


def urgent(order: RepairOrder) -> RepairOrder:
    RepairOrder.update(priority=URGENT).where(RepairOrder.id == order.id).execute()
    return RepairOrder.get_by_id(order.id)


def numbers_in(html: str, made) -> list[str]:
    """The numbers of `made` in the order the page shows them (each time it shows one)."""
    wanted = {o.number for o in made}
    return [n for n in re.findall(r">(BX\d+)</a>", html) if n in wanted]


def test_open_urgent_orders_are_pinned_above_the_first_page_and_paging_stays_whole(app, client):
    desk(client)
    person = reporter()
    made = [new_order(person, START - timedelta(minutes=n)) for n in range(60)]
    old_open = urgent(made[55])                       # would be on the second page
    done = urgent(made[56])
    fire(done, "cancel", None, START)                 # urgent but finished: not pinned
    first = orders_of(client)
    pinned, listed = first.split("全部工单")
    assert f"{PINNED}（1）" in pinned and numbers_in(pinned, made) == [old_open.number]
    assert '<span class="urgent">紧急</span>' in pinned
    second = orders_of(client, f"?after={TOKEN_AFTER.search(first).group(1)}")
    assert PINNED not in second
    walked = numbers_in(listed, made) + numbers_in(second, made)
    assert walked == [o.number for o in made]         # every order once, in its place
    assert old_open.number in second and done.number in second


def test_the_pinned_orders_follow_the_filters(app, client, clock):
    desk(client)
    water = FaultType.get(FaultType.name == "水电")
    lift = urgent(new_order(reporter(), START - timedelta(days=3),
                            category=FaultType.get(FaultType.name == "公共设施")))
    assert PINNED in orders_of(client) and lift.number in orders_of(client)
    assert PINNED not in orders_of(client, f"?category={water.id}")
    assert PINNED not in orders_of(client, "?status=completed")
    assert PINNED in orders_of(client, "?q=灯不亮")
    assert PINNED not in orders_of(client, "?q=漏水")


def test_nothing_urgent_open_pins_nothing(app, client):
    desk(client)
    new_order(reporter(), START)
    page = orders_of(client)
    assert PINNED not in page and "全部工单" not in page


def test_the_order_page_and_the_work_order_say_urgent(app, client):
    desk(client)
    order = urgent(new_order(reporter(), START))
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert f'工单 {order.number}（待受理） <span class="urgent">紧急</span></h1>' in page
    printed = client.get(f"/admin/orders/{order.id}/print").get_data(as_text=True)
    assert '维修派工单 <span class="urgent">紧急</span></h1>' in printed
    assert "<th>紧急程度</th><td>紧急</td>" in printed
    normal = new_order(reporter(), START)
    assert '<span class="urgent">' not in client.get(f"/admin/orders/{normal.id}/print").get_data(
        as_text=True)


def test_the_engineers_jobs_list_urgent_ones_first(client, chat, clock, worker):
    wang = plumber(client, clock)
    first = report_leak(chat)
    clock.advance(minutes=1)
    second = urgent(report_leak(chat, where="3号楼301"))
    worker.run_until_idle()
    assert wang.say("我的工单") == (
        "您手上的工单：\n"
        f"【紧急】{second.number} 已派单 水电 · 东校区 3号楼 301\n"
        f"{first.number} 已派单 水电 · 东校区 3号楼 201\n"
        "回复“接单 单号”“到达 单号”“完成 单号 说明”等处理；新派的单也可直接回复 1 接单。")


def test_the_reporter_sees_their_order_marked_urgent(client, chat, clock):
    order = urgent(report_leak(chat))
    assert chat.say(f"查询 {order.number}").startswith(f"【紧急】单号 {order.number}（待受理）")
    assert f"【紧急】{order.number} 水电 待受理" in chat.say("我的报修")


def test_the_pinned_orders_are_read_from_their_own_index(app):
    """However many orders there are, the pinned list reads only open ones: through its partial
    index (what both databases chose on 300,000 orders with statistics), or the status
    index on tables too small to tell; never a walk of the time index."""
    query = (RepairOrder.select().where(open_urgent())
             .order_by(RepairOrder.submitted_at.desc(), RepairOrder.id.desc()).limit(50))
    sql, params = query.sql()
    if is_sqlite():
        plan = " ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    else:
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")   # the test tables are tiny
            plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))
    assert "repair_order_open_urgent_submitted_at" in plan or "repair_order_status " in plan
    assert "submitted_at_status" not in plan
