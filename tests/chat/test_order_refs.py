"""Order numbers from context: however a number is typed, the last digits of a recent order,
or none at all (the only order that fits, else a numbered choice answered by the next message)."""
import json

import pytest

from handlers.order_refs import Ref, read, whole_number
from models.catalogue import FaultType
from models.orders import RepairOrder
from models.people import User
from models.workflow import NewOrder, fire, submit_order
from tests.flows import plumber


@pytest.mark.parametrize("text, ref", [
    ("BX202611290015", Ref(number="BX202611290015", typed="BX202611290015")),
    ("bx 2026 1129 0015", Ref(number="BX202611290015", typed="BX202611290015")),
    ("2026 11 29 0015 5 很好", Ref(number="BX202611290015", typed="BX202611290015",
                                   rest="5 很好")),
    ("202611290015", Ref(number="BX202611290015", typed="BX202611290015")),
    ("BX202611290015 5", Ref(number="BX202611290015", typed="BX202611290015", rest="5")),
    ("我的单号是BX2026112900151 快点", Ref(number="BX2026112900151", typed="BX2026112900151",
                                           rest="我的单号是 快点")),
    ("0015", Ref(tail="0015", typed="0015")),
    ("0015 5 很好", Ref(tail="0015", typed="0015", rest="5 很好")),
    ("BX2026112600 1 差", Ref(typed="BX2026112600", rest="1 差")),
    ("bx2026-11，快点", Ref(typed="BX2026-11", rest="，快点")),
    ("5 修得很快", Ref(rest="5 修得很快")),
    ("13800138000", Ref(rest="13800138000")),           # a phone is no order
    ("1201房间又漏了", Ref(rest="1201房间又漏了")),       # nor a room
])
def test_a_number_is_read_however_it_is_typed(text, ref):
    assert read(text) == ref


def test_a_search_box_holding_only_a_number_finds_it():
    assert whole_number(" bx 2026 1126 0007 ") == "BX202611260007"
    assert whole_number("202611260007") == "BX202611260007"
    assert whole_number("BX202611260007 漏水") == "" and whole_number("0007") == ""


def orders_of(chat, clock, *places, status="submitted"):
    """Orders of the chat's user at `places` (stored as the report would), moved to `status`."""
    chat.say("我的报修")   # the user exists from their first message on
    user = User.get(User.openid == chat.openid)
    water = FaultType.get(FaultType.name == "水电")
    made = []
    for place in places:
        order = submit_order(NewOrder(user.id, water, place, "水龙头漏水", "13800138000"),
                             clock.now())
        for trigger in {"submitted": (), "dispatched": ("dispatch",),
                        "completed": ("dispatch", "accept", "complete")}[status]:
            fire(order, trigger, None, clock.now())
        made.append(RepairOrder.get_by_id(order.id))
        clock.advance(minutes=1)
    return made


def draft_of(redis_db, chat):
    raw = redis_db.get(f"t:draft:{chat.openid}")
    return json.loads(raw) if raw else None


def test_query_reads_the_number_however_it_is_typed(chat, clock):
    order, = orders_of(chat, clock, "3号楼201")
    digits = order.number[2:]
    spaced = f"{digits[:4]} {digits[4:8]} {digits[8:]}"
    for typed in (f"查询 {order.number}", f"查询 BX {spaced}", f"查询 {digits}",
                  f"查询 {order.number.lower()}", f"查询{order.number}", f"查询 {digits[-4:]}",
                  f"查询{digits[-4:]}"):
        assert chat.say(typed).startswith(f"单号 {order.number}（待受理）"), typed
    assert chat.say("查询 9999") == (
        "没有找到您的单号 9999，请核对后再试，或回复“我的报修”查看您的报修。")


def test_query_alone_shows_the_newest_order(chat, clock):
    assert chat.say("查询") == "您还没有报修记录。回复“报修”开始。"
    older, newer = orders_of(chat, clock, "3号楼201", "3号楼301")
    assert chat.say("查询").startswith(f"单号 {newer.number}（待受理）")


def test_urge_without_a_number_takes_the_only_open_order(client, chat, clock, worker):
    plumber(client, clock)
    order, = orders_of(chat, clock, "3号楼201")
    worker.run_until_idle()
    assert chat.say("催单") == f"已提醒维修人员尽快处理 {order.number}。"


def test_several_open_orders_are_offered_as_choices_and_the_next_number_picks(
        client, chat, clock, worker, redis_db):
    plumber(client, clock)
    first, second = orders_of(chat, clock, "3号楼201", "3号楼301")
    worker.run_until_idle()
    assert chat.say("催单") == (
        "您有 2 张报修可以催办，请回复序号选择：\n"
        f"1. {second.number} 水电 · 3号楼301（已派单）\n"
        f"2. {first.number} 水电 · 3号楼201（已派单）")
    assert draft_of(redis_db, chat)["numbers"] == [second.number, first.number]
    assert chat.say("2") == f"已提醒维修人员尽快处理 {first.number}。"
    assert RepairOrder.get_by_id(first.id).urged_at is not None
    assert RepairOrder.get_by_id(second.id).urged_at is None
    assert draft_of(redis_db, chat) is None


def test_an_open_choice_wins_over_a_bare_score_and_any_other_message_drops_it(chat, clock):
    first, second = orders_of(chat, clock, "3号楼201", "3号楼301", status="completed")
    assert chat.say("评价").startswith("您有 2 张报修可以评价，请回复序号选择：")
    assert chat.say("1") == (   # the choice, not a score of 1 for the newest order
        f"请给 {second.number}（水电 · 3号楼301）打分：回复 1-5，5 分最满意，可加一句意见，"
        "如“5 修得很快”。")
    assert "您最近的报修" in chat.say("我的报修")          # the question is dropped
    chat.say("评价")
    assert chat.say("2") == (   # the older one: the next bare score is for it, not the newest
        f"请给 {first.number}（水电 · 3号楼201）打分：回复 1-5，5 分最满意，可加一句意见，"
        "如“5 修得很快”。")
    assert chat.say("4 还行") == f"感谢您对 {first.number} 的评价（4 分）！"
    assert chat.say("评价 0 不好") == (
        f"请给 {second.number}（水电 · 3号楼301）打分：回复 1-5，5 分最满意，可加一句意见，"
        "如“5 修得很快”。")   # the only one left to rate; 0 is no score
    assert "您最近的报修" in chat.say("我的报修")          # the question is dropped
    assert chat.say("1").startswith("感谢您对")            # now a bare score again
    assert (RepairOrder.get_by_id(first.id).rating, RepairOrder.get_by_id(second.id).rating) == (
        4, 1)


def test_a_score_given_with_the_word_is_kept_for_the_chosen_order(chat, clock):
    first, second = orders_of(chat, clock, "3号楼201", "3号楼301", status="completed")
    chat.say("评价 5 很快")
    assert chat.say("2") == f"感谢您对 {first.number} 的评价（5 分）！"
    assert (RepairOrder.get_by_id(first.id).rating, RepairOrder.get_by_id(second.id).rating) == (
        5, None)


def test_last_digits_two_orders_share_are_a_choice(chat, clock):
    today, = orders_of(chat, clock, "3号楼201")
    clock.advance(days=1)
    tomorrow, = orders_of(chat, clock, "3号楼301")
    assert today.number[-4:] == tomorrow.number[-4:] == "0001"
    assert chat.say("取消 0001").startswith("您有 2 张报修可以取消，请回复序号选择：")
    assert chat.say("1") == f"已取消报修 {tomorrow.number}。"


def test_cancel_report_drops_a_draft_or_cancels_the_only_unaccepted_order(chat, clock, redis_db):
    taken, waiting = orders_of(chat, clock, "3号楼201", "3号楼301")
    fire(taken, "dispatch", None, clock.now())
    fire(RepairOrder.get_by_id(taken.id), "accept", None, clock.now())
    chat.say("报修")
    assert draft_of(redis_db, chat) is not None
    chat.say("取消报修")      # the report being filled in is dropped, no order touched
    assert draft_of(redis_db, chat) is None
    assert RepairOrder.get_by_id(waiting.id).status == "submitted"
    assert chat.say("取消报修") == f"已取消报修 {waiting.number}。"
    assert chat.say("取消报修") == (
        "您没有可以取消的报修（已有维修人员接单的报修不能自行取消）。回复“我的报修”查看。")


def test_a_choice_made_mid_report_leaves_the_report_where_it_was(chat, clock, redis_db):
    first, second = orders_of(chat, clock, "3号楼201", "3号楼301")
    chat.say("报修")
    report = draft_of(redis_db, chat)
    chat.say("查询")          # the newest: no choice, the report stays
    assert draft_of(redis_db, chat)["awaiting"] == report["awaiting"]
    assert chat.say("取消报修 0001") == f"已取消报修 {first.number}。"   # a number: the order
    assert draft_of(redis_db, chat)["awaiting"] == report["awaiting"]
    assert not chat.say("催单").startswith("您有")   # one left open: no choice
    orders_of(chat, clock, "3号楼401")
    chat.say("报修")
    assert chat.say("催单").startswith("您有 2 张报修可以催办")
    assert draft_of(redis_db, chat)["resume"]["awaiting"] == report["awaiting"]
    chat.say("1")
    assert draft_of(redis_db, chat)["awaiting"] == report["awaiting"]


def test_reopen_without_a_number_takes_the_only_recent_completed_order(chat, clock, worker):
    order, = orders_of(chat, clock, "3号楼201", status="completed")
    assert chat.say("返修 又漏了") == f"已为 {order.number} 申请返修，我们会重新安排维修人员。"
    assert RepairOrder.get_by_id(order.id).status == "submitted"
    assert [e.note for e in RepairOrder.get_by_id(order.id).events][-1] == "又漏了"


def test_an_engineer_names_a_job_by_its_last_digits_or_a_loose_number(client, chat, clock,
                                                                      worker):
    wang = plumber(client, clock)
    order, = orders_of(chat, clock, "3号楼201")
    worker.run_until_idle()
    digits = order.number[2:]
    assert wang.say(f"接单{order.number}").startswith(f"已接单 {order.number}")
    assert wang.say(f"到达 {digits[-4:]}").startswith(f"已记录到达 {order.number}。")
    wang.say(f"完成 bx {digits[:4]} {digits[4:8]} {digits[8:]} 换了阀芯")
    done = RepairOrder.get_by_id(order.id)
    assert (done.status, done.solution) == ("completed", "换了阀芯")
    assert wang.say("进度 0002 等配件") == (
        "单号 0002 不是派给您的工单，请核对单号，或回复“我的工单”查看。")


def test_an_idle_choice_ends_quietly_but_an_idle_report_under_it_is_told(chat, clock):
    orders_of(chat, clock, "3号楼201", "3号楼301")
    chat.say("催单")
    clock.advance(minutes=31)
    assert "已自动作废" not in chat.say("我的报修")
    chat.say("报修")
    chat.say("催单")
    clock.advance(minutes=31)
    assert "已自动作废" in chat.say("我的报修")


def test_an_engineers_idle_after_photos_window_ends_quietly(client, chat, clock, worker):
    wang = plumber(client, clock)
    order, = orders_of(chat, clock, "3号楼201", status="dispatched")
    RepairOrder.update(engineer=User.get(User.openid == wang.openid)).where(
        RepairOrder.id == order.id).execute()
    wang.say("1")
    wang.say("完成 换了阀芯")
    clock.advance(minutes=31)
    assert "已自动作废" not in wang.say("我的工单")


def test_cancelling_an_open_choice_keeps_the_report_under_it(chat, clock, redis_db):
    orders_of(chat, clock, "3号楼201", "3号楼301")
    chat.say("报修")
    report = draft_of(redis_db, chat)
    chat.say("取消 0001")     # today's 0001 only: cancelled at once
    chat.say("催单")          # one open: no choice
    orders_of(chat, clock, "3号楼401")
    assert chat.say("催单").startswith("您有 2 张报修可以催办")
    assert chat.say("取消") == "好的，不选了。您正在填写的报修还在，可以接着填写，或回复“取消”放弃。"
    assert draft_of(redis_db, chat)["awaiting"] == report["awaiting"]
    assert chat.say("催单").startswith("您有 2 张报修可以催办")
    chat.say("取消")
    chat.say("取消")
    assert draft_of(redis_db, chat) is None
