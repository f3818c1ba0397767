"""A reporter's 评价, 催单 and 返修, and what the staff hear about them."""
from models.orders import RepairOrder
from tests.flows import bind, delivered, dispatched_job, finished_job, report_leak


def test_low_score_flags_a_call_back_and_rating_is_once(client, chat, clock, worker):
    _, order = finished_job(client, chat, clock, worker)
    assert "分数为 1 到 5" in chat.say(f"评价 {order.number} 9")
    assert "客服会尽快与您联系" in chat.say(f"评价 {order.number} 2 拖了很久")
    rated = RepairOrder.get_by_id(order.id)
    assert (rated.rating, rated.callback_needed, rated.status) == (2, True, "rated")
    assert "只能评价一次" in chat.say(f"评价 {order.number} 5")


def test_rating_before_completion_is_refused(client, chat, clock, worker):
    order = report_leak(chat)
    assert "完工后才能评价" in chat.say(f"评价 {order.number} 5")


def test_urge_reaches_the_engineer_at_most_every_half_hour(client, chat, clock, worker, sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    assert "已提醒" in chat.say(f"催单 {order.number}")
    clock.advance(minutes=29)
    assert "1 分钟后再催" in chat.say(f"催单 {order.number}")
    clock.advance(minutes=1)
    assert "已提醒" in chat.say(f"催单 {order.number}")
    worker.run_until_idle()
    assert [m["touser"] for m in delivered(sandbox, "urge")] == [wang.openid, wang.openid]


def test_urging_a_queued_order_tells_the_supervisor(client, chat, clock, worker, sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = report_leak(chat)
    worker.run_until_idle()
    chat.say(f"催单 {order.number}")
    worker.run_until_idle()
    notes = [m["data"]["thing2"]["value"] for m in delivered(sandbox, "escalation")]
    assert notes[-1] == "报修人催单，尚未派出"
    assert delivered(sandbox, "escalation")[-1]["touser"] == boss.openid


def test_reopen_within_seven_days_dispatches_again(client, chat, clock, worker, sandbox):
    _, order = finished_job(client, chat, clock, worker)
    clock.advance(days=6)
    assert "已为" in chat.say(f"返修 {order.number} 又开始滴水")
    worker.run_until_idle()
    again = RepairOrder.get_by_id(order.id)
    assert again.status == "dispatched" and len(delivered(sandbox, "new_job")) == 2
    assert "reopen" in [e.trigger for e in again.events]


def test_reopen_after_seven_days_is_refused(client, chat, clock, worker):
    _, order = finished_job(client, chat, clock, worker)
    clock.advance(days=7, minutes=1)
    assert "不能返修" in chat.say(f"返修 {order.number}")


def test_cancelling_a_dispatched_order_tells_the_engineer(client, chat, clock, worker, sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    assert "已取消报修" in chat.say(f"取消 {order.number}")
    worker.run_until_idle()
    cancelled, = delivered(sandbox, "cancelled")
    assert cancelled["touser"] == wang.openid


def test_after_photos_attach_to_the_finished_order(client, chat, clock, worker, sandbox):
    wang, order = finished_job(client, chat, clock, worker)
    assert "第 1 张完工照片" in wang.photo(sandbox.state.issue_media("image"))
    assert "已保存 1 张" in wang.say("完成")
    worker.run_until_idle()
    after, = RepairOrder.get_by_id(order.id).attachments
    assert after.stage == "after" and after.downloaded


def test_someone_elses_order_is_not_found_for_followups(client, chat, clock, worker):
    from tests.wechat_sim import Chat
    order = report_leak(chat)
    other = Chat(client, "o_someone_else_01")
    for word in ("评价", "催单", "返修"):
        assert "没有找到" in other.say(f"{word} {order.number} 5")
