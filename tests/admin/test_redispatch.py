"""改派 in the back office: a running job moves from one engineer to another, everyone is told."""
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.staff import AuditLog
from tests.admin_flows import desk
from tests.flows import delivered, dispatched_job, plumber, report_leak
from tests.admin.test_orders import post


def engineers(client, clock):
    """王师傅 (who gets the job first) and 李师傅, both plumbers for 3号楼; their chats."""
    wang = plumber(client, clock)
    li = plumber(client, clock, openid="o_engineer_li_02", name="李师傅")
    return wang, li


def user(chat) -> User:
    return User.get(User.openid == chat.openid)


def dispatched_to_wang(client, clock, chat, worker):
    wang, li = engineers(client, clock)
    order = report_leak(chat)
    worker.run_until_idle()
    order = RepairOrder.get_by_id(order.id)
    if order.engineer_id != user(wang).id:  # the engine picked 李师傅: swap the names
        wang, li = li, wang
    return order, wang, li


def test_an_accepted_job_moves_to_another_engineer(app, client, clock, chat, worker, sandbox):
    order, wang, li = dispatched_to_wang(client, clock, chat, worker)
    wang.say(f"接单 {order.number}")
    desk(client)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "改派给" in page and "改派原因" in page
    response = post(client, order, "redispatch", engineer=user(li).id, note="原师傅请假")
    assert response.status_code == 302
    moved = RepairOrder.get_by_id(order.id)
    assert (moved.status, moved.engineer_id) == ("dispatched", user(li).id)
    timeline = [e.trigger for e in OrderEvent.select().where(OrderEvent.order == order.id)
                .order_by(OrderEvent.id)]
    assert timeline[-2:] == ["reassign", "dispatch"]
    assert AuditLog.get(AuditLog.action == "order.redispatch").target == f"order:{order.number}"
    worker.run_until_idle()
    cancelled, = delivered(sandbox, "cancelled")
    assert cancelled["touser"] == wang.openid
    assert cancelled["data"]["thing2"]["value"].startswith("已改派他人")
    assert delivered(sandbox, "new_job")[-1]["touser"] == li.openid
    told, = delivered(sandbox, "transferred")
    assert told["touser"] == chat.openid and told["data"]["thing2"]["value"] == "已改派给" + \
        user(li).name
    wang.say(f"完成 {order.number} 换了阀芯")  # no longer his: nothing changes
    assert RepairOrder.get_by_id(order.id).status == "dispatched"


def test_redispatch_needs_a_reason_and_another_engineer(app, client, clock, chat, worker):
    order, wang, li = dispatched_to_wang(client, clock, chat, worker)
    desk(client)
    no_reason = post(client, order, "redispatch", engineer=user(li).id, note=" ")
    assert "请填写改派原因" in client.get(no_reason.location).get_data(as_text=True)
    same = post(client, order, "redispatch", engineer=user(wang).id, note="试试")
    assert "已由这位维修人员负责" in client.get(same.location).get_data(as_text=True)
    assert RepairOrder.get_by_id(order.id).engineer_id == user(wang).id
    assert not OrderEvent.select().where(OrderEvent.trigger == "reassign").exists()


def test_a_finished_or_suspended_job_is_not_redispatched(app, client, clock, chat, worker):
    order, wang, li = dispatched_to_wang(client, clock, chat, worker)
    wang.say(f"接单 {order.number}")
    wang.say(f"挂起 {order.number} 等配件")
    desk(client)
    assert "改派给" not in client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    refused = post(client, order, "redispatch", engineer=user(li).id, note="太慢")
    assert "工单状态已变化" in client.get(refused.location).get_data(as_text=True)
    assert RepairOrder.get_by_id(order.id).status == "suspended"
    assert not AuditLog.select().where(AuditLog.action == "order.redispatch").exists()


def test_leaders_may_not_redispatch(app, client, clock, chat, worker):
    order, wang, li = dispatched_to_wang(client, clock, chat, worker)
    desk(client, role="leader", username="boss2", display_name="赵书记")
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "改派给" not in page
    assert post(client, order, "redispatch", engineer=user(li).id, note="x").status_code == 403
    assert RepairOrder.get_by_id(order.id).engineer_id == user(wang).id


def test_with_nobody_else_on_duty_the_page_says_so(app, client, clock, chat, worker):
    wang, order = dispatched_job(client, chat, clock, worker)
    assert RepairOrder.get_by_id(order.id).engineer_id == user(wang).id
    desk(client)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "没有其他在岗的维修人员" in page and "改派给" not in page
