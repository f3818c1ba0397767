"""The measuring itself: it reads questions by their meaning, judges stored fields as a reader
would, counts fallbacks and re-asks, and can both pass and fail a person."""
from dataclasses import replace

import pytest

from models.catalogue import FaultType
from models.orders import URGENT
from models.people import User
from models.workflow import NewOrder, submit_order
from tests.personas import ear, judge, mouth
from tests.personas.driver import Exchange, Played, play
from tests.personas.figures import Figures, misses
from tests.personas.people import (GUIDED, ONE_SENTENCE, PHOTO, REPORT, Facts, Person,
                                   Place)
from tests.personas.world import World, settings_for
from wechat_bot.texts import TEMPLATES_DIR

FALLBACK_TODAY = (TEMPLATES_DIR / "messages/common/unknown.txt").read_text("utf-8").strip()
ROOM_201 = Facts(("水电",), Place(("3号楼",), "201"), ("水龙头", "滴水"), phone="13912340000",
                 name="严同学", unit="数学学院")


@pytest.mark.parametrize("reply, kind", [
    ("请选择问题类别（回复编号），也可以直接描述问题：\n1. 水电\n2. 门窗家具", "category"),
    ("您的问题似乎属于【水电】。回复“是”确认，或回复其他类别的编号或名称。", "category_guess"),
    ("看起来是【网络】问题，对吗？", "category_guess"),
    ("请告诉我们故障地点，例如“3号楼201”或“图书馆二楼东侧”。", "place"),
    ("好的，记下了。请问在哪栋楼哪个房间？", "place"),
    ("312 是哪栋楼的？", "building"),
    ("请简单描述问题（文字或语音均可）。", "what"),
    ("具体是什么问题呢？", "what"),
    ("已收到第 1 张照片（最多 4 张）。\n\n请告诉我们故障地点", "place"),
    ("如方便，请发送现场照片，没有照片请回复“跳过”。", "photos"),
    ("请留下联系电话和称呼。只需留一次，维修人员会按这个电话联系您。", "contact"),
    ("怎么称呼您？", "contact"),
    ("请告诉我们您的学院/部门（记下后下次报修不再问），不便填写请回复“跳过”。", "unit"),
    ("请核对报修信息：\n1. 类别：水电\n4. 照片：0 张\n回复“确认”提交，回复“修改”更改。", "summary"),
    ("水电 · 3号楼201 · 水龙头滴水\n可发送照片，或回复“确认”提交。", "summary"),
    ("您有两张单：\n1. BX202611260001 水电\n2. BX202611260002 空调\n请回复编号选择。", "which_order"),
    ("请给 BX202611260001 打分：回复 1-5。", "score"),
    ("请说一下处理说明，例如“换了灯管”。", "solution"),
    ("已为您记录。紧急情况请拨打 0571-86091234。", None),
    (FALLBACK_TODAY, None),
])
def test_the_ear_reads_what_a_reply_asks_whatever_its_words(reply, kind):
    asked = ear.question(reply)
    assert (asked.kind if asked else None) == kind


def test_contact_questions_say_which_parts_they_ask_for():
    assert ear.question("请留下联系电话和称呼").parts == {"phone", "name"}
    assert ear.question("请再告诉我们怎么称呼您").parts == {"name"}
    assert ear.question("请留下手机号、称呼和学院").parts == {"phone", "name", "unit"}


NO_BUILDING = Person("no_building", "测试", REPORT, GUIDED, ROOM_201, (), dict(
    place="201", place_again="3号楼201", contact="严同学 13912340000", yes="👍", no_photo="没拍"))


@pytest.mark.parametrize("reply, again, photo, said", [
    ("请留下电话和称呼", False, False, "严同学 13912340000"),
    ("请留下手机号、称呼和学院", False, False, "严同学 13912340000 数学学院"),
    ("请告诉我们故障地点", False, False, "201"),
    ("201 是哪栋楼的房间？", True, False, "3号楼201"),
    ("请核对：水电｜3号楼201\n回复“确认”提交。", False, False, "👍"),
    ("请回复“确认”提交，或“修改”更改信息。", True, False, "确认"),
    ("可发送照片，或回复“确认”提交。", False, True, PHOTO),
    ("请发送照片，没有照片请回复“跳过”。", True, False, "跳过"),
    ("您有两张单：\n1. BX202611260001 水电\n2. BX202611260002 空调\n回复序号。", False, False, "2"),
])
def test_people_answer_in_their_words_then_as_the_bot_asks(reply, again, photo, said):
    asked = ear.question(reply)
    assert mouth.answer(NO_BUILDING, asked, reply, photo, "BX202611260002", again) == said


@pytest.mark.parametrize("reply", [FALLBACK_TODAY, "抱歉，我没听懂，能换个说法吗？",
                                   "不好意思，没明白您的意思。"])
def test_the_generic_fallback_is_known_however_it_is_worded(reply):
    assert ear.is_fallback(reply)
    assert not ear.is_fallback("请告诉我们故障地点。")


@pytest.mark.parametrize("stored, problem", [
    ("东校区 3号楼 201", None), ("3号楼201", None), ("三号楼二零一。", None),
    ("3号楼 201 宿舍", None), ("201", "没有楼栋"), ("3号楼", "没有房间号"),
    ("同一个房间", "没有楼栋"), ("多久能来？", "没有楼栋"), ("3号楼201水龙头滴水", "含有“水龙头”"),
    ("3号楼201 多久能来", "含有“多久”"), ("3号楼201 13912340000", "多了“13912340000”"),
    ("3号楼201 食堂旁边", "多了“食堂旁边”"),
])
def test_a_place_must_name_the_building_and_room_and_nothing_else(stored, problem):
    assert judge.place_problem(stored, ROOM_201) == problem


@pytest.mark.parametrize("stored, problem", [
    ("卫生间水龙头一直滴水", None), ("3号楼201 水龙头滴水 很急", None), ("很急", "没有说到故障"),
    ("跳过", "没有说到故障"), ("水龙头滴水 多久能来", "含有“多久”"),
    ("水龙头滴水 13912340000", "含有电话号码"), ("水龙头滴水 是不是坏了", None),
    ("不是灯 是水龙头滴水", "含有“不是”"), ("水龙头滴水 对不对", None),
])
def test_a_description_must_tell_the_fault_and_nothing_else(stored, problem):
    assert judge.description_problem(stored, ROOM_201) == problem


def test_every_wrong_field_of_a_stored_order_is_counted(app, clock):
    person = Person("judged", "测试", REPORT, ONE_SENTENCE, replace(ROOM_201, emergency=True))
    right = store(clock, "东校区 3号楼 201", "水龙头一直滴水", "139 1234 0000", "严同学", "数学学院")
    assert judge.wrong_fields(person, right, 0) == [judge.Wrong(
        "judged", right.number, "紧急", "normal", "紧急情况没有标为紧急")]
    wrong = store(clock, "多久能来？", "很急", "13912340001", "严同学 数学学院", "", URGENT)
    assert [w.field for w in judge.wrong_fields(person, wrong, 1)] == \
        ["地点", "描述", "电话", "称呼", "单位", "照片"]


def test_fallbacks_reasks_and_missed_targets_are_counted():
    asked_place = ear.question("请告诉我们故障地点。")
    person = Person("counted", "测试", REPORT, GUIDED, ROOM_201)
    played = Played(person, [], problems=["没有提交报修"], exchanges=[
        Exchange("在吗", FALLBACK_TODAY, None),
        Exchange("报修", "请告诉我们故障地点。", asked_place),
        Exchange("那边", "地点需要 2 到 100 个字。请告诉我们故障地点。", asked_place, asked_place),
        Exchange(PHOTO, "已收到照片。请告诉我们故障地点。", asked_place, asked_place),
    ])
    played.wrong = [judge.Wrong("counted", "BX202611260001", "地点", "那边", "没有楼栋")]
    figures = Figures([played])
    assert (figures.messages, figures.fallbacks, figures.reasks) == (4, 1, 1)
    assert figures.per_100(figures.fallbacks) == 25.0
    assert misses(figures) == [
        "1 人没有达成目标", "所有报修中位数 None 条，目标 ≤ 5", "引导式（新用户）中位数 None 条，目标 ≤ 6",
        "一句话（新用户）中位数 None 条，目标 ≤ 3", "一句话（老用户）中位数 None 条，目标 ≤ 2",
        "兜底回复每百条 25.0，目标 ≤ 3", "存错字段 1 个"]


def test_a_person_who_types_the_bots_words_reaches_the_goal_and_is_measured(
        tmp_path, database, database_url, redis_db, sandbox):
    by_the_book = Person("by_the_book", "照着提示打字的人", REPORT, ONE_SENTENCE, ROOM_201,
                         ("报修 3号楼201 水龙头一直滴水",),
                         dict(yes="是", no_photo="跳过", contact="13912340000 严同学",
                              unit="数学学院", confirm="确认"))
    world = World(settings_for(tmp_path, database_url, sandbox.url), redis_db, sandbox)
    played = play(world, by_the_book)
    assert (played.problems, played.wrong) == ([], [])
    sent = [e.sent for e in played.exchanges]
    assert sent[0] == "报修 3号楼201 水龙头一直滴水" and sent[-1] == "确认"
    assert "13912340000 严同学" in " ".join(sent) and "数学学院" in " ".join(sent)
    assert played.submitted_at_message == len(sent) <= 6
    assert not any(e.fallback for e in played.exchanges)


def test_a_person_the_bot_cannot_follow_is_not_counted_as_served(
        tmp_path, database, database_url, redis_db, sandbox):
    mumbler = Person("mumbler", "只会说“修一下”的人", REPORT, ONE_SENTENCE, ROOM_201, ("修一下",),
                     dict(retry=()))
    world = World(settings_for(tmp_path, database_url, sandbox.url), redis_db, sandbox)
    played = play(world, mumbler)
    assert played.orders == [] and played.exchanges[0].fallback
    assert "没有提交报修" in played.problems


def store(clock, place, what, phone, name, unit, priority="normal"):
    reporter = User.create(openid=f"o_judged_{place}{priority}", created_at=clock.now())
    order = submit_order(NewOrder(reporter=reporter, category=FaultType.get(name="水电"),
                                  location_text=place, description=what, phone=phone,
                                  reporter_name=name, reporter_unit=unit), clock.now())
    order.priority = priority
    order.save()
    return order
