"""The reporter's guided conversation, driven through the real webhook."""
from models.orders import Attachment, RepairOrder
from models.people import User
from tests.flows import give_contact


def report_until_confirm(chat, phone="13800138000"):
    chat.say("报修")
    chat.say("1")
    chat.say("3号楼201")
    chat.say("卫生间水龙头一直滴水")
    chat.say("跳过")
    return give_contact(chat, phone)


def test_whole_report_stores_the_order(chat):
    assert "请选择问题类别" in chat.say("报修")
    assert "故障地点" in chat.say("1")
    assert "描述问题" in chat.say("3号楼201")
    assert "现场照片" in chat.say("卫生间水龙头一直滴水")
    assert "联系电话" in chat.say("跳过")
    summary = give_contact(chat)
    assert "类别：水电" in summary and "地点：东校区 3号楼 201" in summary
    reply = chat.say("确认")
    order = RepairOrder.get()
    assert order.number in reply and order.number.startswith("BX20261126")
    assert (order.category.name, order.location.full_name) == ("水电", "东校区 3号楼 201")
    assert (order.description, order.phone, order.status) == ("卫生间水龙头一直滴水", "13800138000", "submitted")
    assert [e.trigger for e in order.events] == ["submit"]


def test_phone_is_remembered_and_skipped_next_time(chat):
    report_until_confirm(chat)
    chat.say("确认")
    chat.say("报修")
    chat.say("2")
    chat.say("1号楼101")
    chat.say("柜门合页掉了")
    summary = chat.say("跳过")
    assert "请核对" in summary and "5. 联系人：王同学，13800138000" in summary
    assert "6. 学院/部门：计算机学院" in summary


def test_invalid_inputs_are_explained_and_the_step_repeats(chat):
    chat.say("报修")
    assert "没有找到这个类别" in chat.say("99")
    chat.say("3")
    assert "2 到 100 个字" in chat.say("A")
    chat.say("东校区 图书馆")
    assert "2 到 500 个字" in chat.say("坏")
    chat.say("空调不制冷，温度降不下来")
    chat.say("跳过")
    assert "电话格式不对" in chat.say("12345")
    assert "电话格式不对" in chat.say("2345678901")
    assert "怎么称呼您" in chat.say("010-62345678")
    assert "学院/部门" in chat.say("李老师")
    assert "请核对" in chat.say("后勤处")
    assert "请回复“确认”提交" in chat.say("好吧")
    assert RepairOrder.select().count() == 0


def test_back_goes_one_step_back_and_cancel_drops_the_draft(chat):
    chat.say("报修")
    assert "已经是第一步" in chat.say("返回")
    chat.say("1")
    chat.say("3号楼201")
    assert "故障地点" in chat.say("返回")
    assert "描述问题" in chat.say("3号楼301")
    assert "已取消本次填写" in chat.say("取消")
    assert "当前没有正在填写" in chat.say("取消")
    assert "没太明白" in chat.say("卫生间漏水")
    assert RepairOrder.select().count() == 0


def test_edit_from_the_summary_changes_one_slot(chat):
    report_until_confirm(chat)
    assert "要修改哪一项" in chat.say("修改")
    assert "故障地点" in chat.say("2")
    summary = chat.say("学生公寓A栋101")
    assert "地点：西校区 学生公寓A栋 101" in summary and "描述：卫生间水龙头一直滴水" in summary
    chat.say("确认")
    assert RepairOrder.get().location_text == "西校区 学生公寓A栋 101"


def test_free_description_suggests_a_category_to_confirm(chat):
    chat.say("报修")
    assert "【空调】" in chat.say("宿舍空调不制冷")
    assert "故障地点" in chat.say("是")
    # The free text also became the description, so the next question is about photos.
    assert "现场照片" in chat.say("1号楼202")


def test_one_shot_report_asks_only_for_the_rest(chat):
    reply = chat.say("报修 3号楼201 水龙头漏水")
    assert "【水电】" in reply
    assert "现场照片" in chat.say("是")
    chat.say("跳过")
    summary = give_contact(chat, "13912345678")
    assert "地点：东校区 3号楼 201" in summary and "描述：水龙头漏水" in summary


def test_voice_fills_the_description_and_unrecognised_voice_asks_to_type(chat):
    chat.say("报修")
    chat.say("4")
    chat.say("图书馆")
    assert "没能识别" in chat.voice("")
    assert "现场照片" in chat.voice("三楼阅览室网口没有信号。")
    chat.say("跳过")
    assert "描述：三楼阅览室网口没有信号" in give_contact(chat)


def test_photos_are_recorded_at_once_up_to_the_limit(chat):
    chat.say("报修")
    chat.say("1")
    chat.say("3号楼201")
    chat.say("水管爆了")
    for n in range(1, 4):
        assert f"第 {n} 张" in chat.photo(f"media_{n}")
    reply = chat.photo("media_4")
    assert "第 4 张" in reply and "联系电话" in reply
    assert Attachment.select().count() == 4
    assert Attachment.select().where(Attachment.order.is_null()).count() == 4
    give_contact(chat)
    chat.say("确认")
    order = RepairOrder.get()
    assert sorted(a.media_id for a in order.attachments) == [f"media_{n}" for n in range(1, 5)]
    assert not any(a.downloaded for a in order.attachments)


def test_idle_draft_lapses_and_the_user_is_told(chat, clock):
    chat.say("报修")
    chat.say("1")
    clock.advance(minutes=31)
    reply = chat.say("3号楼201")
    assert "已自动作废" in reply and "没太明白" in reply
    assert "当前没有正在填写" in chat.say("返回")


def test_activity_keeps_a_draft_alive(chat, clock):
    chat.say("报修")
    for _ in range(3):
        clock.advance(minutes=20)
        chat.say("帮助")
    assert "故障地点" in chat.say("1")


def test_help_mid_report_repeats_the_question(chat):
    chat.say("报修")
    chat.say("1")
    reply = chat.say("帮助")
    assert "我的报修" in reply and "故障地点" in reply


def test_menu_report_button_starts_a_report(chat):
    assert "请选择问题类别" in chat.click("REPORT")
    assert "我的报修" in chat.click("HELP")


def test_matters_use_their_own_categories_and_words(chat):
    reply = chat.say("报事")
    assert "请选择事项类别" in reply and "安全隐患" in reply and "水电" not in reply
    asked = [chat.say(text) for text in ("2", "二食堂一楼", "丢了一个黑色钱包", "跳过",
                                    "13800138000 王同学", "计算机学院")]
    assert asked[0].startswith("请告诉我们事情发生的地点") and "请核对报事信息" in asked[-1]
    done = chat.say("确认")
    assert "我们会尽快安排工作人员处理" in done
    assert [text for text in asked + [done] if "故障" in text or "维修人员" in text] == []


def test_first_message_creates_the_reporter(chat):
    chat.say("你好")
    user = User.get(User.openid == chat.openid)
    assert user.role == "reporter" and user.subscribed
