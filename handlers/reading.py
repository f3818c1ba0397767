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
from handlers.numerals import DIGIT_CLASS
from handlers.phones import find_phone

D = DIGIT_CLASS
HONORIFIC = r"(?:同学|老师|先生|女士|小姐|阿姨|叔叔|大爷|大妈|师傅|经理|主任|教授|医生|姐|哥)"
# A name said with a marker (我是王同学, 联系人：李老师), or a titled name standing on its own
# between commas or spaces (…，王同学) — never one inside a sentence (麻烦师傅来看看).
NAMED = re.compile(rf"(?:我是|我叫|我姓|叫我|姓名|称呼|联系人)[\s:：是]*(?P<marked>[\u4e00-\u9fa5A-Za-z]{{1,6}}?)"
                   rf"(?=$|[\s,，。;；!！]|{D})"
                   rf"|(?:^|(?<=[\s,，。;；:：{D}]))(?P<titled>[小老]?[\u4e00-\u9fa5]{{1,2}}{HONORIFIC})"
                   rf"(?=$|[\s,，。;；!！{D}])")
# The commonest surnames: a bare two- or three-character word right beside a phone number that
# starts with one is a name (13577778888 刘星).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
            "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
            "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
            "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
            "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
            "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
BESIDE = re.compile(r"^[\s,，;；]*([\u4e00-\u9fa5]{2,3})(?=$|[\s,，;；。])")
NOT_NAMES = re.compile(r"^(?:麻烦|辛苦|谢谢|感谢|请|找|让|叫|喊|我们|你们|这位|那位)")
# Words around the facts that are neither the fault nor a place.
FILLER = re.compile(r"你好|您好|在吗|麻烦(?:你们|您)?|请(?:你们|尽快|帮忙)?|帮忙|帮我|一下|谢谢|感谢|"
                    r"我的?电话(?:是|号码是)?|联系电话|手机号?(?:是|码)?|电话是|电话|"
                    r"^(?:哎|唉|嗯|啊|喂)+|还是(?:要)?修吧|还是报修吧|^(?:业主|住户|学生|老师)?报修|"
                    r"^(?:我们|咱们|我)?(?:家|这里|这边)?(?:是|在)?的?|^在|^有(?:股|个|点|些)?")
URGENCY = re.compile(r"很急|急急|着急|紧急|加急|尽快|快点|赶紧|马上|速来|急!*|！+")
# What a fault sounds like, beyond the catalogue's keywords.
FAULT = re.compile(r"坏|漏|不亮|不通|堵|没电|没水|没网|没有网|没有热水|没热水|停电|停水|断|连不上|"
                   r"上不了|打不开|关不上|锁不上|不制冷|不制热|不凉|不热|不出水|不出热水|不转|不动|"
                   r"掉|裂|破|响|噪音|异味|臭|冒烟|着火|跳闸|失灵|故障|不好使|不能用|用不了|不行了|"
                   r"没反应|闪|滴水|渗水|跑水|积水|爆|松了|卡住|困|不工作|没信号|网速|慢|有问题|"
                   r"出问题|不灵|隐患|丢|被盗|占道|装修|入住|搬|钥匙|气味|焦味|烟味|糊味|燃气|煤气|"
                   r"漏气|味道|火|困|停了|卡了|不运行|坏掉|倒了|塌|脱落|鼓包|发霉|有虫|老鼠|出不来|"
                   r"关了个?人|被关|淹|全是水|到处是水|满地|not working|broken|leak|not cooling|"
                   r"no power|doesn'?t work|isn'?t working|won'?t|can'?t|out of order", re.I)
LEAD_IN = re.compile(r"(?:我们|咱们|我)?(?:家|宿舍|寝室|这边|这里|学校)?(?:是|在|位于|住)$")
# Words left standing where a place or a name was taken out: 宿舍[5号楼312]的灯坏了.
LEFTOVER = re.compile(r"(?<=\s)(?:宿舍|寝室|房间|屋里|家里|我家|我们|在|的)(?=\s)|(?<=\s)的|"
                      r"(?:师傅|你们)?(?:快)?来(?:看看|看一下|修一下|修修|处理一下|修)(?:吧)?|"
                      r"(?:你们|师傅|物业)?\s*(?:快)?来人?(?=\s|$)|救命啊?|"
                      r"(?:能不能|能否|可不可以|麻烦)?派个?(?:师傅|人)?(?:来看看|来修|过来)?|"
                      r"(?:物业|师傅)?快来看看")
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
    phone, match = find_phone(text)
    if phone is None:
        return text
    reading.phone = phone
    reading.found.append("phone")
    after = BESIDE.match(text[match.end():])
    if after and after.group(1)[0] in SURNAMES and not FAULT.search(after.group(1)):
        reading.name = after.group(1)   # 13577778888 刘星: the word beside the phone
        reading.found.append("name")
        return _cut(text, match.start(), match.end() + after.end())
    return _cut(text, match.start(), match.end())


def _take_name(reading: Reading, text: str) -> str:
    if reading.name:
        return text
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
    # The words that led to the place go with it: 我们家是[3栋2单元502], 在[5号楼312].
    lead = LEAD_IN.search(text[:spot.start])
    return _cut(text, lead.start() if lead else spot.start, spot.end)


def _cut(text: str, start: int, end: int) -> str:
    return (text[:start] + " " + text[end:]).strip()


def describe(text: str, keywords: tuple[str, ...] = (), loose: bool = False) -> str:
    """The fault in `text` once the filler is gone; '' for chat, questions and step words."""
    cleaned = FILLER.sub(" ", text).strip(" ，,。.!！；;:：、")
    cleaned = FILLER.sub(" ", cleaned)   # again: 你好，我… leaves 我 at the start
    cleaned = URGENCY.sub(" ", cleaned)
    cleaned = LEFTOVER.sub(" ", f" {cleaned} ")
    # the commas left where the phone, the name and the thanks were: one, or none at the end
    cleaned = re.sub(r"(?:\s*[，,。；;、]\s*){2,}", "，", " ".join(cleaned.split()))
    cleaned = re.sub(r"[，,]\s*(?:啦|了|呢|啊|吧)?$", "", cleaned)
    cleaned = cleaned.lstrip(" ，,。.!！；;:：、的").rstrip(" ，,。.!！；;:：、呢啊呀吧啦")
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
