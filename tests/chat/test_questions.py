"""Questions asked in the middle of a report or at any time: answered from the configuration
(the SLA promise, charges, the desk's phone and hours), then the open question again; 转人工
puts the person on the desk's page."""
import dataclasses

import pytest

from models.handoff import HandoffRequest
from models.seed import seed_demo
from tests.wechat_sim import Chat
from wechat_bot import create_app


@pytest.fixture
def desk_chat(settings, clock, database, redis_db):
    """A reporter talking to an app whose [app] names the desk's phone, hours and charges."""
    app_settings = dataclasses.replace(settings.app, service_phone="0571-86091234",
                                       service_hours="每天 8:00-22:00",
                                       charges="公共区域免费；宿舍内人为损坏按材料收费。")
    seed_demo()
    app = create_app(dataclasses.replace(settings, app=app_settings,
                                         sla={"arrive_minutes": 15, "urgent": {"arrive_minutes": 5}}),
                     clock=clock, redis_client=redis_db)
    return Chat(app.test_client(), "o_reporter_alice_0001")


def test_questions_mid_report_are_answered_and_the_question_asked_again(desk_chat):
    desk_chat.say("报修 水管漏水")
    eta = desk_chat.say("多久能来？")
    assert eta.startswith("接单后维修人员一般 15 分钟内到场") and eta.endswith(
        "请告诉我们地点（楼栋和房间），例如“3号楼201”或“图书馆二楼东侧”。")
    assert desk_chat.say("要钱吗").startswith("公共区域免费；宿舍内人为损坏按材料收费。\n\n请告诉我们地点")
    assert desk_chat.say("电话多少").startswith("报修电话：0571-86091234（每天 8:00-22:00）。")
    human = desk_chat.say("转人工")
    assert human.startswith("已通知值班人员，会尽快联系您。着急的话也可以直接打电话：0571-86091234")
    assert desk_chat.say("人工客服").startswith("值班人员已经收到您的请求，正在安排")
    request = HandoffRequest.get()
    assert (request.times, request.handled_at) == (2, None)
    assert "请留下联系电话和称呼" in desk_chat.say("3号楼201")   # the report went on


def test_an_urgent_report_promises_the_urgent_arrival(desk_chat):
    reply = desk_chat.say("宿舍3号楼201跑水了！")
    assert reply.startswith("【紧急】请先关闭总水阀") and "0571-86091234" in reply
    assert desk_chat.say("多久能来").startswith("紧急报修会立即派单，维修人员一般 5 分钟内到场")


def test_questions_outside_a_report(desk_chat):
    assert desk_chat.say("你们几点上班").startswith("服务时间：每天 8:00-22:00。")
    assert desk_chat.say("物业电话多少") == "报修电话：0571-86091234（每天 8:00-22:00）。"
