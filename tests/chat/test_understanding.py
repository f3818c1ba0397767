"""Reading what people type, without the chat around it: numbers said aloud, places, phones,
names, the fault, yes and no, questions and corrections. Tables of real phrasings."""
import pytest

from handlers import corrections, places, wording
from handlers.numerals import to_arabic
from handlers.reading import read

NAMES = ("东校区", "西校区", "3号楼", "1号楼", "图书馆", "学生公寓A栋", "学生公寓B栋", "第一教学楼")
KEYWORDS = ("灯", "漏水", "水管", "网络", "网口", "wifi", "空调", "马桶", "堵", "电梯", "门锁")


@pytest.mark.parametrize("spoken, digits", [
    ("二零一", "201"), ("幺三八", "138"), ("十二", "12"), ("二十三", "23"), ("一百零一", "101"),
    ("三百", "300"), ("两", "2"), ("A101", "A101")])
def test_numbers_said_aloud(spoken, digits):
    assert to_arabic(spoken) == digits


@pytest.mark.parametrize("text, place, complete, description", [
    ("宿舍5号楼312的灯坏了，电话13912345678", "5号楼312", True, "灯坏了"),
    ("报修 3号楼301跑水了 很急", "3号楼301", True, "跑水了"),
    ("三号楼二零一水管漏水了。", "3号楼201", True, "水管漏水了"),
    ("十二号楼三零二空调不制冷", "12号楼302", True, "空调不制冷"),
    ("第一教学楼A201投影仪坏了", "第一教学楼A201", True, "投影仪坏了"),
    ("麻烦师傅来看看，图书馆二楼东侧的灯一直闪", "图书馆2楼东侧", True, "灯一直闪"),
    ("西校区学生公寓B栋201卫生间马桶堵了，尽快！", "西校区学生公寓B栋201", True, "卫生间马桶堵了"),
    ("312的灯坏了", "312", False, "灯坏了"),
    ("宿舍网口没有网络", None, None, "宿舍网口没有网络"),
    ("水龙头一直滴水", None, None, "水龙头一直滴水"),
])
def test_place_and_fault_are_split_out_of_one_sentence(text, place, complete, description):
    reading = read(text, NAMES, keywords=KEYWORDS)
    assert (reading.place.text if reading.place else None) == place
    assert (reading.place.complete if reading.place else None) == complete
    assert reading.description == description


@pytest.mark.parametrize("text, phone, name", [
    ("电话 138 0013 8000 王同学", "13800138000", "王同学"),
    ("5号楼312 灯坏了 13912345678 李同学", "13912345678", "李同学"),
    ("幺三八零零幺三八零零零", "13800138000", ""),
    ("我是王同学，学生公寓A栋102的门锁坏了", None, "王同学"),
    ("座机 010-62345678", "010-62345678", ""),
    ("麻烦师傅来看看，灯坏了", None, ""),
])
def test_phones_and_names_wherever_they_stand(text, phone, name):
    reading = read(text, NAMES, keywords=KEYWORDS)
    assert (reading.phone, reading.name) == (phone, name)


@pytest.mark.parametrize("text", ["多久能来？", "好的", "跳过", "没有照片。", "谢谢", "确认", "很急",
                                  "你们几点下班", "在吗", "👍"])
def test_chatter_questions_and_step_words_are_no_description(text):
    assert read(text, NAMES, keywords=KEYWORDS).description == ""


@pytest.mark.parametrize("text, enough", [
    ("3号楼201", True), ("图书馆二楼东侧", True), ("逸夫楼三楼", True), ("312", False),
    ("4楼", False), ("宿舍", False), ("这里", False)])
def test_a_place_must_name_somewhere_to_go(text, enough):
    assert places.is_enough(text, NAMES) is enough


@pytest.mark.parametrize("text", ["同一个房间", "还是那里", "老地方", "跟上次一样", "上次那个地方"])
def test_the_same_place_as_last_time(text):
    assert places.means_last_place(text)


@pytest.mark.parametrize("text", ["是", "对", "好的", "好", "可以", "行", "没问题", "ok", "OK", "👍",
                                  "确认", "确认。", "对，没错", "嗯嗯", "好的！", "是的。", "👍🏻"])
def test_yes_in_every_form(text):
    assert wording.is_yes(text) and not wording.is_no(text)


@pytest.mark.parametrize("text", ["不是", "不对", "不要", "算了"])
def test_no_in_every_form(text):
    assert wording.is_no(text) and not wording.is_yes(text)


@pytest.mark.parametrize("text", ["算了不修了", "不要了", "退出", "不修了。", "取消报修"])
def test_quitting(text):
    assert wording.is_quit(text)


@pytest.mark.parametrize("text, key", [
    ("多久能来？", "eta"), ("师傅什么时候能到", "eta"), ("要钱吗", "charges"), ("收费吗？", "charges"),
    ("电话多少", "phone"), ("物业电话多少", "phone"), ("转人工", "human"), ("人工客服", "human"),
    ("你们几点上班", "hours"), ("水龙头漏水", None), ("热水器要等很久才热", None)])
def test_questions_asked_in_passing(text, key):
    assert wording.question_of(text) == key


@pytest.mark.parametrize("text, field, value", [
    ("不对，是4楼", None, "4楼"), ("不是 是wifi连不上", None, "wifi连不上"),
    ("电话写错了 是13912345678", "phone", "13912345678"), ("地点改成图书馆", "location", "图书馆"),
    ("名字写错了，是李同学", "name", "李同学"), ("错了，应该是5号楼", None, "5号楼")])
def test_corrections_as_people_type_them(text, field, value):
    assert corrections.parse(text) == corrections.Correction(field, value)


@pytest.mark.parametrize("text", ["不对劲，灯一直闪", "水龙头漏水", "好的"])
def test_what_is_not_a_correction(text):
    found = corrections.parse(text)
    assert found is None or found.value != ""


def test_a_correction_keeps_the_building_it_does_not_name():
    assert places.with_building("东校区 3号楼 201", "4楼") == "东校区 3号楼 4楼"
    assert places.with_building("东校区 3号楼 201", "5号楼101") == "5号楼101"
