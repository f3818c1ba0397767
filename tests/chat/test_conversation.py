"""The reporter's conversation, driven through the real webhook: guided, in one sentence,
returning, with photos at any time, 返回, 修改 and 取消, voice, matters."""
from models.orders import Attachment, RepairOrder
from models.people import User
from tests.flows import give_contact

ASK_WHAT = "请描述一下是什么问题"
ASK_WHERE = "请告诉我们地点"
ASK_CONTACT = "请留下联系电话和称呼"


def report_until_confirm(chat, phone="13800138000"):
    """A first-time reporter's guided report, up to the summary."""
    chat.say("报修")
    chat.say("卫生间水龙头一直滴水")
    chat.say("3号楼201")
    return give_contact(chat, phone)


def test_a_guided_report_takes_five_messages_and_stores_the_order(chat):
    assert ASK_WHAT in chat.say("报修")
    said = chat.say("卫生间水龙头一直滴水")
    assert said.startswith("好的，已记下问题：卫生间水龙头一直滴水（水电）。") and ASK_WHERE in said
    assert ASK_CONTACT in chat.say("3号楼201")
    summary = chat.say("13800138000 王同学 计算机学院")
    assert summary.splitlines()[:6] == [
        "请核对报修信息：", "1. 类别：水电（根据描述判断）", "2. 地点：东校区 3号楼 201",
        "3. 描述：卫生间水龙头一直滴水", "4. 联系人：王同学，13800138000", "5. 学院/部门：计算机学院"]
    assert "可以发送现场照片（最多 4 张）" in summary
    reply = chat.say("确认")
    order = RepairOrder.get()
    assert order.number in reply and order.number.startswith("BX20261126")
    assert (order.category.name, order.location.full_name) == ("水电", "东校区 3号楼 201")
    assert (order.description, order.phone, order.status) == ("卫生间水龙头一直滴水", "13800138000",
                                                              "submitted")
    assert (order.reporter_name, order.reporter_unit) == ("王同学", "计算机学院")
    assert [e.trigger for e in order.events] == ["submit"]


def test_one_sentence_from_a_new_user_is_three_messages(chat):
    said = chat.say("宿舍5号楼312的灯坏了，电话13912345678")
    assert said.startswith("好的，已记下地点：5号楼312；问题：灯坏了（水电）；电话：13912345678。")
    assert "请问怎么称呼您" in said
    assert "请核对" in chat.say("王同学 计算机学院")
    assert "提交成功" in chat.say("确认")
    order = RepairOrder.get()
    assert (order.location_text, order.description, order.phone, order.reporter_name) == (
        "5号楼312", "灯坏了", "13912345678", "王同学")


def test_a_returning_reporter_reports_in_two_messages(chat):
    report_until_confirm(chat)
    chat.say("确认")
    summary = chat.say("1号楼101 柜门合页掉了")
    assert summary.startswith("请核对报修信息：") and "4. 联系人：王同学，13800138000" in summary
    assert "2. 地点：东校区 1号楼 101" in summary and "门窗家具" in summary
    assert "提交成功" in chat.say("好的")
    assert RepairOrder.select().count() == 2


def test_the_place_and_the_rest_are_split_whatever_the_order(chat):
    chat.say("报修 3号楼301跑水了 很急")
    order_text = chat.say("13800138000 李老师 后勤处")
    assert "2. 地点：东校区 3号楼 301" in order_text and "3. 描述：跑水了" in order_text
    assert "4. 联系人：李老师，13800138000" in order_text and "5. 学院/部门：后勤处" in order_text


def test_answers_that_are_not_facts_are_never_stored(chat):
    chat.say("报修")
    for chatter in ("好的", "多久能来？", "跳过", "完成", "谢谢"):
        reply = chat.say(chatter)
        assert "没太明白" not in reply and "是什么问题" in reply, (chatter, reply)
    chat.say("水管坏了")
    for chatter in ("好", "算", "同一个房间", "312"):
        chat.say(chatter)
    assert "是哪栋楼" in chat.say("312")
    chat.say("5号楼")
    summary = give_contact(chat)
    assert "2. 地点：5号楼 312" in summary and "3. 描述：水管坏了" in summary


def test_a_room_alone_asks_for_its_building(chat):
    assert "312 是哪栋楼的？" in chat.say("312的灯坏了")
    assert ASK_CONTACT in chat.say("学生公寓A栋")
    assert "2. 地点：西校区 学生公寓A栋 312" in give_contact(chat)


def test_the_same_room_offers_the_last_place(chat):
    report_until_confirm(chat)
    chat.say("确认")
    chat.say("报修 空调不制冷")
    offered = chat.say("同一个房间")
    assert offered == "是上次报修的地点“东校区 3号楼 201”吗？回复“是”确认，或直接告诉我们地点。"
    assert "2. 地点：东校区 3号楼 201" in chat.say("对")


def test_invalid_contact_is_explained_and_the_step_repeats(chat):
    chat.say("3号楼201 水管漏水")
    assert "电话格式不对" in chat.say("12345")
    assert "怎么称呼您" in chat.say("010-62345678")
    assert "学院/部门" in chat.say("李老师")
    assert "请核对" in chat.say("后勤处")
    assert "确认" in chat.say("好吧再看看")
    assert RepairOrder.select().count() == 0


def test_back_goes_to_the_step_answered_last_and_cancel_drops_the_draft(chat):
    chat.say("报修")
    assert "已经是第一步" in chat.say("返回")
    chat.say("水管漏水")
    chat.say("3号楼201")
    assert ASK_WHERE in chat.say("返回")
    assert ASK_CONTACT in chat.say("3号楼301")
    assert "已取消本次填写" in chat.say("取消")
    assert "当前没有正在填写" in chat.say("取消")
    assert RepairOrder.select().count() == 0


def test_quitting_words_end_the_draft(chat):
    chat.say("报修 水管漏水")
    assert "已取消本次填写" in chat.say("算了不修了")
    assert "当前没有正在填写" in chat.say("返回")


def test_edit_from_the_summary_changes_one_slot(chat):
    report_until_confirm(chat)
    assert "要修改哪一项" in chat.say("修改")
    assert ASK_WHERE in chat.say("2")
    summary = chat.say("学生公寓A栋101")
    assert "地点：西校区 学生公寓A栋 101" in summary and "描述：卫生间水龙头一直滴水" in summary
    chat.say("确认")
    assert RepairOrder.get().location_text == "西校区 学生公寓A栋 101"


def test_an_unclear_description_asks_for_the_category(chat):
    chat.say("报修")
    assert ASK_WHERE in chat.say("有个东西不太对劲儿")
    asked = chat.say("3号楼201")
    assert "“东西不太对劲儿”是哪一类问题？请回复类别编号" in asked and "5. 公共设施" in asked
    assert ASK_CONTACT in chat.say("5")
    assert "1. 类别：公共设施\n" in give_contact(chat)


def test_voice_with_spoken_numbers_fills_the_report(chat):
    chat.say("报修")
    assert "没能识别" in chat.voice("")
    said = chat.voice("三号楼二零一，水管漏水了。")
    assert said.startswith("好的，已记下地点：东校区 3号楼 201；问题：水管漏水了（水电）。")
    summary = chat.voice("幺三八零零幺三八零零零，我是王阿姨。")
    assert "4. 联系人：王阿姨，13800138000" in chat.voice("后勤处。") or "王阿姨" in summary


def test_photos_before_the_report_during_it_and_after_confirming_join_the_order(chat, clock):
    assert "收到照片（1 张）" in chat.photo("media_1")
    chat.say("报修 3号楼201 水龙头坏了")
    assert "第 2 张" in chat.photo("media_2")
    give_contact(chat)
    assert "第 3 张" in chat.photo("media_3") and "回复“确认”提交" in chat.photo("media_4")
    assert "已达 4 张上限" in chat.photo("media_5")
    assert "提交成功" in chat.say("确认")
    order = RepairOrder.get()
    assert sorted(a.media_id for a in order.attachments) == [f"media_{n}" for n in range(1, 5)]
    assert Attachment.select().where(Attachment.order.is_null()).count() == 0


def test_a_photo_soon_after_confirming_is_added_later_ones_start_anew(chat, clock):
    chat.say("3号楼201 水龙头坏了")
    give_contact(chat)
    chat.say("确认")
    number = RepairOrder.get().number
    assert chat.photo("late_1") == f"已把照片补充到 {number}（共 1 张）。"
    clock.advance(minutes=11)
    assert "收到照片（1 张）" in chat.photo("late_2")
    assert RepairOrder.get().attachments.count() == 1


def test_idle_draft_lapses_and_the_user_is_told(chat, clock):
    chat.say("报修")
    clock.advance(minutes=31)
    reply = chat.say("你好")
    assert "已自动作废" in reply and "您好" in reply
    assert "当前没有正在填写" in chat.say("返回")


def test_activity_keeps_a_draft_alive(chat, clock):
    chat.say("报修")
    for _ in range(3):
        clock.advance(minutes=20)
        chat.say("帮助")
    assert ASK_WHERE in chat.say("水管漏水")


def test_help_mid_report_repeats_the_question(chat):
    chat.say("报修 水管漏水")
    reply = chat.say("帮助")
    assert "我的报修" in reply and ASK_WHERE in reply


def test_menu_report_button_starts_a_report(chat):
    assert ASK_WHAT in chat.click("REPORT")
    assert "我的报修" in chat.click("HELP")


def test_matters_use_their_own_categories_and_words(chat):
    reply = chat.say("报事")
    assert "请简单说明是什么情况" in reply
    asked = [chat.say(text) for text in ("丢了一个黑色钱包", "二食堂一楼", "13800138000 王同学",
                                        "计算机学院")]
    assert asked[0].startswith("好的，已记下问题：丢了一个黑色钱包（失物报失）")
    assert "请核对报事信息" in asked[-1]
    done = chat.say("确认")
    assert "我们会尽快安排工作人员处理" in done
    assert [text for text in asked + [done] if "故障" in text or "维修人员" in text] == []


def test_a_first_contact_writes_the_reporter_when_first_needed(chat, clock):
    """The first messages only answer (no database write on the hot path); the users row,
    dated from the first message, is written with the order at 确认."""
    first_seen = clock.now()
    chat.say("你好")
    clock.advance(minutes=3)
    report_until_confirm(chat)
    assert not User.select().where(User.openid == chat.openid).exists()
    assert "提交成功" in chat.say("确认")
    user = User.get(User.openid == chat.openid)
    assert user.role == "reporter" and user.subscribed and user.created_at == first_seen
    assert RepairOrder.get().reporter_id == user.id
    assert user.phone == "13800138000"   # and the turns after it use the row
    assert "BX" in chat.say("我的报修")
