"""A reporter's 评价, 催单 and 返修, and what the staff hear about them."""
from models.orders import RepairOrder
from tests.flows import bind, delivered, dispatched_job, finished_job, report_leak


def test_low_score_flags_a_call_back_and_rating_is_once(client, chat, clock, worker):
    _, order = finished_job(client, chat, clock, worker)
    # The only order to rate: a bare score reaches it, so that is what the reporter is asked.
    assert chat.say(f"评价 {order.number} 9") == (
        f"请给 {order.number}（水电 · 东校区 3号楼 201）打分：回复 1-5，5 分最满意，可加一句意见，"
        "如“5 修得很快”。")
    assert "客服会尽快与您联系" in chat.say(f"评价 {order.number} 2 拖了很久")
    rated = RepairOrder.get_by_id(order.id)
    assert (rated.rating, rated.callback_needed, rated.status) == (2, True, "rated")
    assert "只能评价一次" in chat.say(f"评价 {order.number} 5")


def test_a_bare_score_rates_the_newest_completed_unrated_order(client, chat, clock, worker,
                                                              sandbox):
    _, order = finished_job(client, chat, clock, worker)
    worker.run_until_idle()
    completed, = delivered(sandbox, "completed")
    assert completed["data"]["character_string1"]["value"] == order.number
    assert completed["data"]["thing4"]["value"] == "回复 1-5 评价，5 分最满意"
    assert chat.say("5 师傅很负责") == f"感谢您对 {order.number} 的评价（5 分）！"
    rated = RepairOrder.get_by_id(order.id)
    assert (rated.status, rated.rating, rated.feedback) == ("rated", 5, "师傅很负责")
    assert chat.say("4") == NOTHING_TO_RATE


NOTHING_TO_RATE = "您最近 7 天没有待评价的报修（完工后才能评价，每单一次）。查看报修请回复“我的报修”。"


def test_rate_without_a_number_asks_for_the_score_or_takes_it(client, chat, clock, worker):
    assert chat.say("评价") == NOTHING_TO_RATE
    _, order = finished_job(client, chat, clock, worker)
    assert chat.say("评价") == (f"请给 {order.number}（水电 · 东校区 3号楼 201）打分：回复 1-5，"
                               "5 分最满意，可加一句意见，如“5 修得很快”。")
    assert "客服会尽快与您联系" in chat.say("评价 1分 太慢了")
    rated = RepairOrder.get_by_id(order.id)
    assert (rated.rating, rated.feedback, rated.callback_needed) == (1, "太慢了", True)


def test_a_bare_score_reaches_back_seven_days_only(client, chat, clock, worker):
    finished_job(client, chat, clock, worker)
    clock.advance(days=7, minutes=1)
    assert chat.say("5分很满意") == NOTHING_TO_RATE


def test_a_place_typed_without_the_word_report_is_not_a_score(client, chat, clock, worker):
    _, order = finished_job(client, chat, clock, worker)
    assert "请核对报修信息" in chat.say("3号楼301 水龙头坏了")  # a new report, not a rating
    assert RepairOrder.get_by_id(order.id).status == "completed"


def test_the_same_fault_back_within_a_week_is_a_reopen(client, chat, clock, worker):
    _, order = finished_job(client, chat, clock, worker)
    reply = chat.say("上回修的水管又漏了")
    assert reply == f"已为 {order.number} 申请返修，我们会重新安排维修人员。"
    assert RepairOrder.get_by_id(order.id).status == "submitted"


def test_an_engineers_bare_one_still_accepts(client, chat, clock, worker):
    wang, order = dispatched_job(client, chat, clock, worker)
    assert wang.say("1").startswith(f"已接单 {order.number}")


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
