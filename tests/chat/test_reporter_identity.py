"""Who reports: a name (称呼) asked once with the phone, the unit (学院/部门 or 楼栋房号) when
configured, both remembered on the user, kept on the order, changeable through 修改."""
import dataclasses

import pytest

from models.database import is_sqlite
from models.orders import RepairOrder
from models.people import User
from models.seed import seed_demo
from tests.wechat_sim import Chat
from wechat_bot import create_app


def up_to_contact(chat) -> str:
    return chat.say("报修 3号楼201 水龙头漏水")


@pytest.fixture
def chat_with(settings, clock, database, redis_db):
    """A reporter talking to an app whose [conversation] has the given settings."""
    def make(**conversation) -> Chat:
        changed = dataclasses.replace(
            settings, conversation=dataclasses.replace(settings.conversation, **conversation))
        seed_demo()
        app = create_app(changed, clock=clock, redis_client=redis_db)
        return Chat(app.test_client(), "o_reporter_alice_0001")
    return make


@pytest.mark.parametrize("said", ["13800138000 王同学", "王同学 13800138000", "王同学，13800138000",
                                  "姓名：王同学 电话：138 0013 8000", "13800138000王同学"])
def test_phone_and_name_in_one_message_either_way(chat, said):
    assert "联系电话和称呼" in up_to_contact(chat)
    assert chat.say(said) == "请告诉我们您的学院/部门（记下后下次报修不再问），不便填写请回复“跳过”。"
    summary = chat.say("计算机学院")
    assert "4. 联系人：王同学，13800138000\n5. 学院/部门：计算机学院\n" in summary


def test_a_typed_unit_is_asked_for_again_without_a_list_nobody_was_shown(chat):
    up_to_contact(chat)
    chat.say("13800138000 王同学")
    again = chat.say("确认")   # the unit step is open, nothing to confirm yet
    assert again.startswith("请直接输入学院/部门（2 到 50 个字）。")
    assert "列表" not in again and "编号" not in again
    assert "3. 学院/部门：" not in again and "跳过" in again
    assert "学院/部门：" not in chat.say("跳过").split("联系人")[0]


def test_phone_name_and_unit_in_one_message(chat):
    up_to_contact(chat)
    summary = chat.say("王同学 13800138000 计算机学院")
    assert "4. 联系人：王同学，13800138000\n5. 学院/部门：计算机学院\n" in summary


def test_the_missing_half_is_asked_for_alone(chat):
    up_to_contact(chat)
    assert chat.say("13800138000") == ("请问怎么称呼您？例如“王同学”或“李老师”，再加上您的学院/部门，"
                                       "例如“王同学 计算机学院”。")
    assert "学院/部门" in chat.say("王同学")
    assert "联系电话和称呼" in chat.say("返回")   # phone and name are one step: both again
    assert chat.say("李老师").startswith("请留下联系电话（手机号或带区号的座机）")
    assert "学院/部门" in chat.say("010-62345678")


@pytest.mark.parametrize("said, reply", [
    ("1380013800 王同学", "电话格式不对"),                     # ten digits: no phone at all
    ("13800138000 王同学3号楼", "称呼请用 20 个字以内、不带数字"),
    ("13800138000 " + "很长" * 11, "称呼请用 20 个字以内、不带数字"),
    ("好的", "电话格式不对"),
])
def test_a_wrong_phone_or_name_is_explained(chat, said, reply):
    up_to_contact(chat)
    assert reply in chat.say(said)
    assert RepairOrder.select().count() == 0


def test_name_and_unit_are_kept_on_the_order_and_the_user_and_not_asked_again(chat):
    up_to_contact(chat)
    chat.say("13800138000 王同学")
    chat.say("计算机学院")
    chat.say("确认")
    order = RepairOrder.get()
    assert (order.reporter_name, order.reporter_unit, order.phone) == (
        "王同学", "计算机学院", "13800138000")
    user = User.get(User.openid == chat.openid)
    assert (user.name, user.unit, user.phone) == ("王同学", "计算机学院", "13800138000")
    assert "请核对" in up_to_contact(chat)


def test_edit_changes_the_name_and_the_unit_for_next_time_too(chat):
    up_to_contact(chat)
    chat.say("13800138000 王同学")
    chat.say("计算机学院")
    chat.say("修改")
    assert "联系电话和称呼" in chat.say("4")
    chat.say("王小明 13900139000")
    chat.say("修改")
    chat.say("5")
    assert "5. 学院/部门：后勤处" in chat.say("后勤处")
    chat.say("确认")
    user = User.get(User.openid == chat.openid)
    assert (user.name, user.phone, user.unit) == ("王小明", "13900139000", "后勤处")
    assert RepairOrder.get().reporter_name == "王小明"


def test_listed_units_are_offered_by_number(chat_with):
    chat = chat_with(units=("计算机学院", "外国语学院", "后勤处"))
    up_to_contact(chat)
    assert chat.say("13800138000 王同学") == (
        "请选择您的学院/部门（回复编号），列表里没有的可以直接输入名称，不便填写请回复“跳过”：\n"
        "1. 计算机学院\n2. 外国语学院\n3. 后勤处")
    assert chat.say("7").startswith("没有这个编号，请回复列表中的编号，或直接输入学院/部门名称")
    assert "5. 学院/部门：外国语学院" in chat.say("2")
    chat.say("修改")
    chat.say("5")
    assert "5. 学院/部门：继续教育学院" in chat.say("继续教育学院")


def test_an_estate_asks_for_the_room_typed_freely(chat_with):
    chat = chat_with(unit_label="楼栋房号")
    up_to_contact(chat)
    assert chat.say("13800138000 王女士") == "请告诉我们您的楼栋房号（记下后下次报修不再问），不便填写请回复“跳过”。"
    assert "5. 楼栋房号：3栋2单元501" in chat.say("3栋2单元501")


def test_no_unit_label_asks_no_unit(chat_with):
    chat = chat_with(unit_label="")
    up_to_contact(chat)
    summary = chat.say("13800138000 王同学")
    assert "4. 联系人：王同学，13800138000\n可以发送现场照片" in summary
    assert "学院" not in chat.say("修改") and "联系电话和称呼" in chat.say("4")
    assert "请核对" in chat.say("13800138000 王同学")
    chat.say("确认")
    assert RepairOrder.get().reporter_unit == ""


def queries_during(caplog, action) -> list[str]:
    caplog.clear()
    with caplog.at_level("DEBUG", logger="peewee"):
        action()
    return [record.getMessage() for record in caplog.records if record.name == "peewee"]


def test_confirming_reads_nothing_and_writes_the_user_only_when_changed(chat, caplog):
    up_to_contact(chat)
    chat.say("13800138000 王同学")
    chat.say("计算机学院")
    first = queries_during(caplog, lambda: chat.say("确认"))
    # A first-time reporter's row is written when first needed (here), then given the contact.
    assert [sql.split('"users"')[0].strip("('").split()[0] for sql in first
            if '"users"' in sql] == ["INSERT", "UPDATE"]
    up_to_contact(chat)
    again = queries_during(caplog, lambda: chat.say("确认"))  # the same name, phone and unit
    if is_sqlite():   # in process: a short transaction of plain statements
        assert [sql.split(" (")[0].split(" SET")[0].strip("('") for sql in again] == [
            'UPDATE "order_sequence"', 'INSERT INTO "repair_order"', 'INSERT INTO "order_event"',
            'INSERT INTO "notification"']
    else:   # PostgreSQL: one statement, one round trip
        assert len(again) == 1 and again[0].startswith('(\'WITH "sequence" AS (UPDATE')
