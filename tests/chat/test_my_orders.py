"""我的报修, 查询 and 取消 单号: a reporter only ever sees and touches their own orders."""
from models.orders import RepairOrder
from models.workflow import fire
from tests.chat.test_conversation import report_until_confirm
from tests.wechat_sim import Chat


def submit(chat) -> RepairOrder:
    report_until_confirm(chat)
    chat.say("确认")
    return RepairOrder.select().order_by(RepairOrder.id.desc()).get()


def test_my_orders_lists_newest_first(chat, clock):
    first = submit(chat)
    clock.advance(hours=1)
    second = submit(chat)
    reply = chat.click("MY_ORDERS")
    assert reply.index(second.number) < reply.index(first.number)
    assert "待受理" in reply
    assert reply == chat.say("我的报修")


def test_query_shows_the_timeline(chat, clock):
    order = submit(chat)
    clock.advance(minutes=5)
    fire(order, "dispatch", None, clock.now())
    reply = chat.say(f"查询 {order.number}")
    assert "提交报修" in reply and "已派单" in reply and order.description in reply


def test_nobody_sees_or_cancels_another_users_order(client, chat):
    order = submit(chat)
    mallory = Chat(client, "o_mallory_000001")
    assert "没有找到" in mallory.say(f"查询 {order.number}")
    assert "没有找到" in mallory.say(f"取消 {order.number}")
    assert order.number not in mallory.say("我的报修")
    assert RepairOrder.get_by_id(order.id).status == "submitted"


def test_cancel_own_order_until_someone_accepts(chat, clock):
    order = submit(chat)
    assert "已取消报修" in chat.say(f"取消 {order.number.lower()}")
    assert RepairOrder.get_by_id(order.id).status == "cancelled"
    assert [e.trigger for e in RepairOrder.get_by_id(order.id).events] == ["submit", "cancel"]
    other = submit(chat)
    fire(other, "dispatch", None, clock.now())
    fire(other, "accept", None, clock.now())
    assert "已不能自行取消" in chat.say(f"取消 {other.number}")
    assert RepairOrder.get_by_id(other.id).status == "accepted"


def test_query_with_a_malformed_number_is_not_found(chat):
    assert "没有找到" in chat.say("查询 12345")
    assert "还没有报修记录" in chat.say("查询")


def test_not_found_shows_only_what_looked_like_the_number(chat):
    assert chat.say("评价 BX2026112600 1 差") == (
        "没有找到您的单号 BX2026112600，请核对后再试，或回复“我的报修”查看您的报修。")
    assert chat.say("催单 bx20261126 快点").startswith("没有找到您的单号 BX20261126，")
    assert chat.say("返修 又坏了") == (
        "您最近 7 天没有已完工的报修可以返修。问题如果又出现了，请回复“报修”重新报修。")
