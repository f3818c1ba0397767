"""Reading a report's slots out of anything someone says: the phone (typed with spaces or dashes,
or spoken as 幺三八…), a name given with a marker (我是王同学, 李老师), the place, and what is
broken — the rest of the message, once the place, the phone, the name and the entry word are
taken out, when it describes a fault rather than chat, a question or a step word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from handlers import places, wording
from handlers.numerals import DIGIT_CLASS, to_arabic
from handlers.report_slots import normalise_phone

D = DIGIT_CLASS
PHONE = re.compile(rf"(?<![{D}])(?:\+?86[\s-]?)?(?:[1幺一](?:[\s-]?[{D}]){{10}}|[0零洞](?:[{D}]){{2,3}}"
                   rf"[\s-]?[{D}]{{7,8}})(?![{D}])")
HONORIFIC = r"(?:同学|老师|先生|女士|小姐|阿姨|叔叔|大爷|大妈|师傅|经理|主任|教授|医生|姐|哥)"
# A name said with a marker (我是王同学, 联系人：李老师), or a titled name standing on its own
# between commas or spaces (…，王同学) — never one inside a sentence (麻烦师傅来看看).
NAMED = re.compile(rf"(?:我是|我叫|我姓|叫我|姓名|称呼|联系人)[\s:：是]*(?P<marked>[\u4e00-\u9fa5A-Za-z]{{1,6}}?)"
                   rf"(?=$|[\s,，。;；!！]|{D})"
                   rf"|(?:^|(?<=[\s,，。;；:：{D}]))(?P<titled>[小老]?[\u4e00-\u9fa5]{{1,2}}{HONORIFIC})"
                   rf"(?=$|[\s,，。;；!！{D}])")
NOT_NAMES = re.compile(r"^(?:麻烦|辛苦|谢谢|感谢|请|找|让|叫|喊|我们|你们|这位|那位)")
# Words around the facts that are neither the fault nor a place.
FILLER = re.compile(r"你好|您好|在吗|麻烦(?:你们|您)?|请(?:你们|尽快|帮忙)?|帮忙|帮我|一下|谢谢|感谢|"
                    r"我的?电话(?:是|号码是)?|联系电话|手机号?(?:是|码)?|电话是|电话|"
                    r"^(?:我|我们)?(?:这里|这边)?的?|^在|^有个?")
URGENCY = re.compile(r"很急|急急|着急|紧急|加急|尽快|快点|赶紧|马上|速来|急!*|！+")
# What a fault sounds like, beyond the catalogue's keywords.
FAULT = re.compile(r"坏|漏|不亮|不通|堵|没电|没水|没网|没有网|没有热水|没热水|停电|停水|断|连不上|"
                   r"上不了|打不开|关不上|锁不上|不制冷|不制热|不凉|不热|不出水|不出热水|不转|不动|"
                   r"掉|裂|破|响|噪音|异味|臭|冒烟|着火|跳闸|失灵|故障|不好使|不能用|用不了|不行了|"
                   r"没反应|闪|滴水|渗水|跑水|积水|爆|松了|卡住|困|不工作|没信号|网速|慢|有问题|"
                   r"出问题|不灵|隐患|丢|被盗|占道|装修|入住|搬|钥匙|气味|焦味|烟味|糊味|燃气|煤气|"
                   r"漏气|味道|火|困|停了|卡了|不运行|坏掉|倒了|塌|脱落|鼓包|发霉|有虫|老鼠")
# Words left standing where a place or a name was taken out: 宿舍[5号楼312]的灯坏了.
LEFTOVER = re.compile(r"(?<=\s)(?:宿舍|寝室|房间|屋里|家里|我家|我们|在|的)(?=\s)|(?<=\s)的|"
                      r"(?:师傅|你们)?(?:快)?来(?:看看|看一下|修一下|修修|处理一下|修)(?:吧)?")
ASKING = re.compile(r"[?？]|吗|怎么|什么|为什么|多少|哪里|能不能|可不可以|请问")
STEP_WORDS = {"报修", "报事", "跳过", "完成", "确认", "修改", "返回", "取消", "帮助", "下一步"}
DESCRIPTION_LIMITS = (2, 500)
UNIT_WORD = re.compile(r"(?:学院|学部|研究院|研究所|中心|处|办公室|公司)$")


@dataclass
class Reading:
    """What one message says about a report; empty fields were not said."""
    phone: Optional[str] = None
    name: str = ""
    unit: str = ""                     # 学院/部门 said with the contact (a listed one, or 计算机学院)
    place: Optional[places.Spot] = None
    description: str = ""
    urgent_words: bool = False
    subject: str = ""                  # a thing named without what is wrong with it (水管)
    rest: str = ""                     # what is left after the facts were taken out
    found: list = field(default_factory=list)   # the fields read, in the order above


def read(text: str, names: tuple[str, ...] = (), entry: bool = True,
         keywords: tuple[str, ...] = (), units: tuple[str, ...] = ()) -> Reading:
    """Every fact in `text`; `names` are the catalogue's place names, `keywords` its fault
    words, `units` the configured units; `entry` strips a leading 报修."""
    reading, rest = Reading(), text.strip()
    if entry:
        rest = wording.REPORT_ENTRY.sub("", rest, count=1).strip(" ：:，,")
    rest = _take_phone(reading, rest)
    rest = _take_name(reading, rest)
    if reading.phone:  # a contact given in passing: 13800138000 王同学 计算机学院
        rest = _take_unit(reading, rest, units)
    rest = _take_place(reading, rest, names)
    reading.urgent_words = bool(URGENCY.search(rest))
    reading.rest = rest
    description = describe(rest, keywords)
    if description and is_vague(description):
        reading.subject = description
    elif description:
        reading.description = description
        reading.found.append("description")
    return reading


def is_vague(description: str) -> bool:
    """A thing named with nothing said about it (水管, 空调, 灯): not yet a description."""
    return not FAULT.search(description) and len(wording.plain(description)) <= 4


def _take_phone(reading: Reading, text: str) -> str:
    for match in PHONE.finditer(text):
        phone = normalise_phone(to_arabic(re.sub(r"\s", "", match.group())))
        if phone:
            reading.phone = phone
            reading.found.append("phone")
            return _cut(text, match.start(), match.end())
    return text


def _take_name(reading: Reading, text: str) -> str:
    match = NAMED.search(text)
    if not match:
        return text
    name = match.group("marked") or match.group("titled")
    if name and not FAULT.search(name) and name not in STEP_WORDS and not NOT_NAMES.match(name):
        reading.name = name
        reading.found.append("name")
        return _cut(text, match.start(), match.end())
    return text


def _take_unit(reading: Reading, text: str, units: tuple[str, ...]) -> str:
    words = re.split(r"[\s,，;；、]+", text)
    unit = next((w for w in words if w in units or len(w) >= 3 and UNIT_WORD.search(w)), "")
    if unit:
        reading.unit = unit
        reading.found.append("unit")
        return text.replace(unit, " ", 1).strip()
    return text


def _take_place(reading: Reading, text: str, names: tuple[str, ...]) -> str:
    spot = places.find_place(text, names)
    if spot is None:
        return text
    reading.place = spot
    reading.found.append("place")
    if not spot.complete and not places.is_room_only(spot.text):
        return text  # 楼道的灯不亮: the spot stays in the description too
    return _cut(text, spot.start, spot.end)


def _cut(text: str, start: int, end: int) -> str:
    return (text[:start] + " " + text[end:]).strip()


def describe(text: str, keywords: tuple[str, ...] = (), loose: bool = False) -> str:
    """The fault in `text` once the filler is gone; '' for chat, questions and step words."""
    cleaned = FILLER.sub(" ", text).strip(" ，,。.!！；;:：、")
    cleaned = FILLER.sub(" ", cleaned)   # again: 你好，我… leaves 我 at the start
    cleaned = URGENCY.sub(" ", cleaned)
    cleaned = LEFTOVER.sub(" ", f" {cleaned} ")
    cleaned = " ".join(cleaned.split()).strip(" ，,。.!！；;:：、的呢啊呀吧")
    if not cleaned or not is_fault(cleaned, keywords, loose):
        return ""
    return cleaned if DESCRIPTION_LIMITS[0] <= len(cleaned) <= DESCRIPTION_LIMITS[1] else ""


def is_fault(text: str, keywords: tuple[str, ...] = (), loose: bool = False) -> bool:
    """Whether text describes something wrong (not a question to us, chat or a step word): a
    fault word or a catalogue keyword; `loose` (the answer to "what is wrong?") also takes any
    plain sentence of six characters or more."""
    said = wording.plain(text)
    if not said or said in STEP_WORDS or said in wording.YES or said in wording.NO:
        return False
    if said in wording.GREETINGS | wording.THANKS | wording.ACKS | wording.NO_PHOTO:
        return False
    if wording.question_of(text) and not FAULT.search(text):
        return False
    lowered = text.lower()
    return bool(FAULT.search(text)) or any(k.lower() in lowered for k in keywords if k) \
        or (loose and len(said) >= 6 and not ASKING.search(text))
