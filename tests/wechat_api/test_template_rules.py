"""The 2023 template rules: which payloads WeChat refuses (47003), and fit() making values pass."""
import pytest

from wechat_bot.wechat_api.template_rules import fit, keyword_type, violations


def payload(keyword: str, value) -> dict:
    return {keyword: {"value": value}}


@pytest.mark.parametrize("keyword, value", [
    ("thing1", "3号楼201 水龙头漏水"),
    ("thing2", "一" * 20),
    ("thing3", "空调 26℃ 不制冷 (急)"),
    ("character_string1", "BX202611260007"),
    ("character_string2", "A-1_b/2:3#" + "x" * 22),
    ("phone_number1", "+86-0766-66888866"),
    ("phone_number2", "13800138000"),
    ("car_number1", "粤A8Z888挂"),
    ("car_number2", "沪A12345"),
    ("phrase1", "已派单"),
    ("phrase2", "货物配送中"),
    ("name1", "张三"),
    ("name2", "欧阳·娜娜"),
    ("name3", "John Smith"),
    ("time1", "14:30"),
    ("time2", "2026-11-26 14:30"),
    ("time3", "2026年11月26日 14:30"),
    ("time4", "2026-11-26 14:30~2026-11-26 16:00"),
    ("time5", "2026/11/26 14:30:05"),
    ("date1", "2026年11月26日"),
    ("date2", "2026-11-26"),
    ("date3", "2026年11月26日 15:01"),
    ("date4", "2026-11-26~2026-11-28"),
    ("amount1", "¥12.50"),
    ("amount2", "12.5元"),
    ("amount3", "$1000"),
    ("number1", "42"),
    ("number2", "-3.75"),
    ("letter1", "abcXYZ"),
    ("symbol1", "#-+"),
    ("keyword1", "老模板的关键词，不限类型"),
    ("number4", 7),
])
def test_values_that_fit_their_type_pass(keyword, value):
    assert violations(payload(keyword, value)) == []


@pytest.mark.parametrize("keyword, value, reason", [
    ("thing1", "一" * 21, "longer than 20"),
    ("thing1", "漏水\n很严重", "line break"),
    ("thing1", "灯坏了😀", "emoji"),
    ("thing1", "灯坏了\x07", "control character"),
    ("thing1", "", "empty"),
    ("thing1", "   ", "empty"),
    ("thing1", None, "empty"),
    ("character_string1", "BX2026 0007", "letters, digits and symbols"),
    ("character_string1", "单号BX1", "letters, digits and symbols"),
    ("character_string1", "X" * 33, "longer than 32"),
    ("phone_number1", "1" * 18, "longer than 17"),
    ("phone_number1", "电话138", "digits and symbols"),
    ("car_number1", "粤A8Z8889挂", "longer than 8"),
    ("car_number1", "粤A-8Z888", "plate number"),
    ("car_number1", "A粤888", "plate number"),
    ("phrase1", "配送中了吗啊", "longer than 5"),
    ("phrase1", "OK", "Chinese characters"),
    ("name1", "欧阳娜娜娜娜娜娜娜娜娜", "longer than 10"),
    ("name1", "John Smith Johnson The 3rd", "not a name"),
    ("name1", "A" * 21, "longer than 20"),
    ("time1", "明天下午", "not a time"),
    ("time1", "2026-11-26", "not a time"),
    ("time1", "25:00", "not a time"),
    ("time1", "2026-02-30 10:00", "not a time"),
    ("time1", "14:30～15:30", "not a time"),
    ("time1", "10:00~11:00~12:00", "not a time"),
    ("date1", "14:30", "not a date"),
    ("date1", "26/11/2026", "not a date"),
    ("amount1", "12.5", "not an amount"),
    ("amount1", "¥12.505", "not an amount"),
    ("amount1", "¥12345678901", "not an amount"),
    ("amount1", "十二元", "not an amount"),
    ("number1", "12个", "not a number"),
    ("number1", "1" * 33, "longer than 32"),
    ("letter1", "abc1", "letters"),
    ("symbol1", "#####-", "longer than 5"),
])
def test_values_breaking_their_type_are_named(keyword, value, reason):
    problems = violations(payload(keyword, value))
    assert len(problems) == 1
    assert problems[0].startswith(f"data.{keyword}.value") and reason in problems[0]


@pytest.mark.parametrize("data, expected", [
    (None, ["data must be a non-empty object"]),
    ({}, ["data must be a non-empty object"]),
    ([{"value": "x"}], ["data must be a non-empty object"]),
    ({"first": {"value": "您好"}, "thing1": {"value": "x"}}, ["data.first is no longer allowed"]),
    ({"remark": {"value": "谢谢"}}, ["data.remark is no longer allowed"]),
    ({"thing1": {"value": "x", "color": "#173177"}}, ["data.thing1.color is no longer allowed"]),
    ({"thing1": "x"}, ["data.thing1.value is missing"]),
    ({"thing1": {"value": "ok"}, "phrase2": {"value": "OK"}, "time3": {"value": "x"}},
     ["data.phrase2.value may only hold Chinese characters",
      "data.time3.value is not a time like 14:30 or 2026-11-26 14:30"]),
])
def test_payload_level_rules(data, expected):
    assert violations(data) == expected


@pytest.mark.parametrize("keyword, expected", [
    ("thing1", "thing"), ("thing12", "thing"), ("character_string3", "character_string"),
    ("phone_number10", "phone_number"), ("time", "time"), ("keyword2", "keyword"),
])
def test_keyword_type_is_the_name_without_its_number(keyword, expected):
    assert keyword_type(keyword) == expected


@pytest.mark.parametrize("keyword, value, expected", [
    ("thing1", "一二三四五六七八九十一二三四五六七八九十一", "一二三四五六七八九十一二三四五六七八九…"),
    ("thing1", "3号楼201\n水龙头\r\n漏水", "3号楼201 水龙头 漏水"),
    ("thing1", "灯坏了😀👍🏻 快来", "灯坏了 快来"),
    ("thing1", "", "无"),
    ("thing1", None, "无"),
    ("character_string1", "BX2026 单号0007", "BX2026-0007"),
    ("character_string1", "ＢＸ２０２６", "BX2026"),
    ("character_string1", "A" * 40, "A" * 29 + "..."),
    ("character_string1", "单号", "-"),
    ("phone_number1", "138 0013 8000", "138-0013-8000"),
    ("phone_number1", "电话：13800138000", "13800138000"),
    ("car_number1", "粤a·8z888挂", "粤A8Z888挂"),
    ("car_number1", "沪A 12345 6789", "沪A123456"),
    ("phrase1", "已派单 OK", "已派单"),
    ("phrase1", "货物正在配送中", "货物正在配"),
    ("phrase1", "OK", "无"),
    ("name1", "张三 138", "张三"),
    ("name1", "欧阳娜娜娜娜娜娜娜娜娜", "欧阳娜娜娜娜娜娜娜娜"),
    ("name1", "John Smith 3rd", "John Smith rd"),
    ("number1", "1,234.50 个", "1234.50"),
    ("number1", 12, "12"),
    ("amount1", "￥12.505", "¥12.51"),
    ("amount1", "12.5", "12.5元"),
    ("amount1", "12.5元", "12.5元"),
    ("amount1", "RMB 1,200", "1200元"),
    ("time1", "2026-11-26T14:30:05", "2026-11-26 14:30"),
    ("time1", "2026-11-26 14:30:05.123456", "2026-11-26 14:30"),
    ("time1", "14:30", "14:30"),
    ("time1", "１４：３０～１５：００", "14:30~15:00"),
    ("date1", "2026-11-26T14:30", "2026-11-26 14:30"),
    ("date1", "2026年11月26日", "2026年11月26日"),
    ("letter1", "x1y2", "xy"),
    ("symbol1", "a#b-c+d*e/f", "#-+*/"),
    ("keyword1", "第一行\n第二行", "第一行 第二行"),
])
def test_fit_cleans_and_cuts(keyword, value, expected):
    assert fit(keyword, value) == expected


SAMPLES = [
    "", "   ", "x", "3号楼201 水龙头漏水", "漏水\n很严重\r\n请尽快", "灯坏了😀👍🏻🇨🇳", "一" * 50,
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit " * 3, "ＡＢＣ１２３（全角）",
    "tab\there", "a\u2028b", "零宽\u200d连接", "BX202611260007", "+86 (0766) 6688-8866",
    "粤A·8Z888挂", "张三", "John O'Neil-Smith", "¥12.50", "12.5元", "-3.75", "#$%^&*()",
    "<b>bold</b> & \"quotes\"", "\x00\x01\x1f控制字符", "ℂ𝕆𝔻𝔼 𝟙𝟚𝟛", "𠀀𠀁 ext-B", "…" * 30,
]
FREE_TEXT = ["thing1", "character_string2", "phone_number3", "car_number4", "phrase5",
             "name6", "letter7", "symbol8", "keyword9", "const10"]


@pytest.mark.parametrize("keyword", FREE_TEXT)
def test_fit_always_yields_a_valid_free_text_value(keyword):
    for value in SAMPLES:
        fitted = fit(keyword, value)
        assert violations(payload(keyword, fitted)) == [], (keyword, value, fitted)


@pytest.mark.parametrize("keyword, values", [
    ("time1", ["14:30", "9:05", "2026-11-26T14:30:05", "2026-11-26 14:30:05.5", "2026/11/26 14:30",
               "2026年11月26日 14:30", "14:30 ～ 15:30", "2026-11-26T09:00~2026-11-26T10:00",
               "  14:30\n"]),
    ("date1", ["2026-11-26", "2026年11月26日", "2026-11-26T14:30:05", "2026/11/26",
               "2026-11-26~2026-11-28", "2026-11-26T14:30:05+08:00"]),
    ("number1", ["12", "1,234", "-3.75", "约 42 个", "１２", "3.14159"]),
    ("amount1", ["12", "12.5", "¥12.50", "￥12.505", "$3", "12.5元", "RMB 1,200.00", "共 8 元"]),
])
def test_fit_yields_a_valid_value_whenever_one_can_be_read(keyword, values):
    for value in values:
        fitted = fit(keyword, value)
        assert violations(payload(keyword, fitted)) == [], (value, fitted)


@pytest.mark.parametrize("keyword, value", [
    ("time1", "明天下午"), ("time1", "2026-11-26"), ("date1", "下周一"),
    ("number1", "很多"), ("amount1", "免费"), ("amount1", "¥123456789012"),
])
def test_fit_leaves_unreadable_formatted_values_for_violations_to_name(keyword, value):
    fitted = fit(keyword, value)
    assert fitted == value.strip() or fitted == value
    assert violations(payload(keyword, fitted)) != []


def test_fit_never_raises_on_odd_input():
    for keyword in FREE_TEXT + ["time1", "date1", "number1", "amount1", "", "1"]:
        for value in [None, 0, 3.5, True, b"bytes", ["list"], {"a": 1}, "\ud800", "~", "~~"]:
            assert isinstance(fit(keyword, value), str)
