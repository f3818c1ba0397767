"""Emergencies: which messages are urgent, the safety line they get, and the words users read."""
from dataclasses import replace

import pytest

from handlers.emergency import detect, detect_in_catalogue, hazard_of, mark, render
from models.catalogue import FaultType
from models.seed import FAULT_TYPES
from wechat_bot.chat.turn_store import Loaded
from wechat_bot.texts import Texts
from wechat_bot.webhook.inbound import Inbound

# The demo catalogue's fault types, unsaved: the detector is pure.
CATALOGUE = [FaultType(id=i + 1, name=name, kind=kind, keywords=words, urgent_keywords=urgent,
                       sort_order=i)
             for i, (name, kind, _, words, urgent) in enumerate(FAULT_TYPES)]


@pytest.mark.parametrize("text, fault_type, hazard", [
    ("电梯里困人了！！", "公共设施", "lift"),
    ("三号楼电梯困住人了。", "公共设施", "lift"),            # a voice message's recognition
    ("我被困在电梯里了", "公共设施", "lift"),
    ("宿舍插座冒烟了", "水电", "smoke"),
    ("3号楼301跑水了 很急", "水电", "water"),
    ("卫生间水管爆了，水到处都是", "水电", "water"),
    ("楼道配电箱漏电", "水电", "electric"),
    ("厨房有很大的煤气味", "水电", "gas"),
    ("燃气的味道好重", "水电", "gas"),                        # 燃气味 with a character inside
    ("空调外机冒烟了", "空调", "smoke"),                      # the longer keyword wins
    ("WC 跑 水 了", "水电", "water"),                          # spaces between the characters
])
def test_loose_real_messages_are_found_with_their_fault_type_and_safety_line(text, fault_type,
                                                                              hazard):
    found = detect(text, "repair", CATALOGUE)
    assert found is not None, text
    assert (found.fault_type.name, found.hazard) == (fault_type, hazard)


@pytest.mark.parametrize("text", [
    "水龙头一直滴水", "漏电保护器老是跳闸", "燃气灶打不着火", "没有跑水，就是有点渗水",
    "空调漏气了不制冷", "电梯按钮不亮", "电梯里面的灯坏了，人在外面", "跑去打水", "", "👍",
])
def test_everyday_faults_and_denials_are_not_urgent(text):
    assert detect(text, "repair", CATALOGUE) is None


def test_a_keyword_two_types_share_goes_to_the_type_of_the_reports_kind():
    assert detect("楼下着火了", "repair", CATALOGUE).fault_type.name == "水电"
    assert detect("楼下着火了", "matter", CATALOGUE).fault_type.name == "安全隐患"


def test_keywords_are_the_catalogues_and_an_unknown_hazard_gets_the_general_line():
    sewage = FaultType(id=99, name="化粪池", kind="repair", urgent_keywords="化粪池满溢",
                       sort_order=0)
    found = detect("化粪池满溢到路上了", "repair", [sewage])
    assert (found.fault_type, found.keyword, found.hazard) == (sewage, "化粪池满溢", "general")
    assert detect("跑水了", "repair", [sewage]) is None


@pytest.mark.parametrize("keyword, hazard", [
    ("电梯困人", "lift"), ("卡在电梯", "lift"), ("电梯里关了", "lift"), ("电梯冒烟", "smoke"),
    ("燃气泄漏", "gas"),
    ("漏电", "electric"), ("爆管", "water"), ("着火", "smoke"), ("化粪池满溢", "general"),
])
def test_each_keyword_gets_the_safety_line_of_its_hazard(keyword, hazard):
    assert hazard_of(keyword) == hazard


def test_an_urgent_draft_is_marked_for_the_order():
    draft = {"kind": "repair"}
    mark(draft, detect("电梯困人了", "repair", CATALOGUE))
    assert draft == {"kind": "repair", "priority": "urgent", "urgent_keyword": "电梯困人",
                     "hazard": "lift"}


@pytest.mark.parametrize("hazard, line", [
    ("water", "【紧急】请先关闭总水阀（一般在卫生间、厨房或水表旁），把电器挪开、拔掉插头。"),
    ("electric", "【紧急】请先拉下电闸（总开关），不要碰漏电的电器、电线和旁边的积水。"),
    ("smoke", "【紧急】请先拉下电闸，别碰冒烟的电器；有明火或烟越来越大，请马上离开并拨打 119。"),
    ("lift", "【紧急】被困的人请按电梯里的警铃或拨打轿厢内的救援电话，耐心等待，不要扒门，"
             "不要自己爬出来。"),
    ("gas", "【紧急】请马上开窗通风、关闭燃气阀门；不要开关电灯和电器，不要点火，人到室外再打电话。"),
    ("general", "【紧急】请先离开危险的地方，注意安全。"),
])
def test_the_intro_gives_the_safety_line_and_the_emergency_phone(hazard, line):
    texts = Texts()
    assert texts.say("emergency/intro", hazard=hazard, keyword="", phone="0571-88880000") == (
        f"{line}\n紧急情况请直接拨打 0571-88880000。\n已按紧急报修处理：提交后立即派人，同时通知管理人员。")
    assert texts.say("emergency/intro", hazard=hazard, keyword="", phone="") == (
        f"{line}\n已按紧急报修处理：提交后立即派人，同时通知管理人员。")


@pytest.mark.parametrize("emergency_phone, told", [("", "021-67792000"), ("021-110", "021-110")])
def test_a_turn_carries_the_desks_facts_and_the_emergency_phone_falls_back_to_the_desk(
        app, clock, emergency_phone, told):
    bot = app.extensions["baoxiu"]
    bot.runner.settings = replace(bot.settings, app=replace(
        bot.settings.app, service_phone="021-67792000", emergency_phone=emergency_phone,
        service_hours="每天 8:00-22:00", charges="材料费按价收取，人工免费"))
    message = Inbound(to_user="gh_test", openid="o_trapped_0001", create_time=0, msg_type="text",
                      content="电梯困人了")
    turn = bot.runner._build_turn(message, Loaded(True, True, None, None))
    assert (turn.service_phone, turn.emergency_phone, turn.service_hours, turn.charges) == (
        "021-67792000", told, "每天 8:00-22:00", "材料费按价收取，人工免费")
    found = detect_in_catalogue(turn.msg.text, "repair")
    assert render(turn, found).splitlines()[1] == f"紧急情况请直接拨打 {told}。"
