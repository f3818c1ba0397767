"""What a message outside a report means, per role: the tables of handlers/intents.py, and the
answers people get through the webhook."""
import pytest

from handlers import intents
from handlers.turn import Profile, Turn
from tests.flows import dispatched_job, plumber
from tests.wechat_sim import Chat
from wechat_bot.config import ConversationSettings
from wechat_bot.texts import Texts
from wechat_bot.webhook.inbound import Inbound


def said(text: str, role: str = "reporter") -> str:
    """The name of the row that answers `text` from someone of `role`."""
    msg = Inbound(to_user="gh", openid="o_someone_000001", create_time=1, msg_type="text",
                  content=text)
    turn = Turn(msg=msg, profile=Profile(id=1, openid=msg.openid, role=role), draft=None,
                now=None, settings=ConversationSettings(), texts=Texts())
    return intents.explain(turn)


@pytest.mark.parametrize("text, row", [
    ("保修", "report"), ("報修", "report"), ("我要报修", "report"), ("repair", "report"),
    ("Repair!", "report"), ("你好，我要报修。", "report"), ("报事", "matter"),
    ("在吗", "greeting"), ("你好！", "greeting"), ("谢谢", "thanks"), ("辛苦了", "thanks"),
    ("收到", "ack"), ("👍", "ack"), ("多久能来？", "question"), ("转人工", "question"),
    ("物业电话多少", "question"), ("宿舍5号楼312的灯坏了", "fault"), ("水管爆了", "fault"),
    ("WC 漏水", "fault"), ("啊啊啊", "")])
def test_what_anyone_says(app, text, row):
    assert said(text) == row


@pytest.mark.parametrize("text, row", [
    ("统计一下", "leader_today"), ("这个月怎么样？", "leader_month"), ("上个月怎么样", "leader_last_month"),
    ("这周怎么样", "leader_week"), ("超时工单", "leader_overdue"), ("有哪些超时", "leader_overdue")])
def test_what_leaders_say(app, text, row):
    assert said(text, "leader") == row
    assert said(text, "reporter") != row


@pytest.mark.parametrize("text, row", [("到了", "engineer_arrive"), ("我到了", "engineer_arrive"),
                                       ("修好了，换了阀芯", "engineer_complete"),
                                       ("搞定了", "engineer_complete")])
def test_what_engineers_say(app, text, row):
    assert said(text, "engineer") == row
    assert said(text, "reporter") != row


def test_an_engineers_ok_accepts_only_while_a_job_waits(client, chat, clock, worker):
    wang = plumber(client, clock)
    assert wang.say("好的") == "好的。查看手上的工单请回复“我的工单”。"
    wang, order = dispatched_job(client, chat, clock, worker)
    assert wang.say("收到").startswith(f"已接单 {order.number}")
    assert wang.say("到了").startswith(f"已记录到达 {order.number}")
    assert wang.say("修好了 换了阀芯").startswith(f"已完工 {order.number}")


def test_leaders_ask_as_they_speak(client, clock):
    from tests.flows import bind
    leader = bind(client, clock, "o_leader_0000001", "leader", name="李校长")
    assert leader.say("统计一下").startswith("【今日概况】")
    assert leader.say("这个月怎么样？").startswith("【本月统计】")
    assert "超时" in leader.say("超时工单")
    assert Chat(client, "o_student_00001").say("统计").startswith("统计报表仅对领导开放")


def test_greetings_thanks_and_a_fault_without_the_word(chat):
    assert chat.say("在吗").startswith("您好！")
    assert chat.say("谢谢") == "不客气！有问题随时找我们。"
    assert "已记下" in chat.say("宿舍5号楼312的灯坏了，电话13912345678")
