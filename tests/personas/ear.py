"""Reading the bot's replies by their meaning, as a person skimming a phone screen would.

A reply is cut into sentences; the question is the last sentence that asks something (请,
吗, ？, 回复 …), read together with the sentence before it, and its kind is the first row of
QUESTIONS whose signs it holds. The rules are tolerant keywords, not the bot's wording: the
only wordings pinned here are in these tables, kept small on purpose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

ORDER_NUMBER = re.compile(r"BX\d{12,}", re.I)
SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")
ASKS = re.compile(r"请|吗|？|\?|回复|告诉我|输入|发送|选择|说说|说一下|哪|多少|是否|麻烦")

# (kind, signs): the first row whose signs the question holds names it. Order matters: a
# summary lists every field, a category guess names a category, so they come first.
QUESTIONS = (
    ("category_guess", r"【.+?】.*(是|对|确认)|属于|是不是.{0,8}(类|问题)"),
    ("summary", r"核对.{0,6}(信息|内容|以下|如下|一下)|确认提交|[“\"]确认[”\"]|无误|是否提交|提交吗"),
    ("which_order", r"哪一?[张单个]|哪个单号|选择|编号|序号|回复\s*\d"),
    ("score", r"打分|评分|几分|分数|1\s*[-~～到至]\s*5"),
    ("solution", r"处理说明|怎么修|维修内容|处理结果|处理情况|修了什么|做了什么"),
    ("building", r"^(?!.*(房间|房号|门牌|室)).*(哪[一]?[栋座幢]|楼号|哪个楼|几号楼|楼栋)"),
    ("place", r"地点|位置|在哪|哪里|地址|房间|门牌|房号"),
    ("category", r"类别|类型|哪一?类|什么方面"),
    ("contact", r"电话|手机|号码|联系方式|称呼|姓名|名字|贵姓|怎么叫"),
    ("unit", r"学院|部门|单位|班级|院系"),
    ("what", r"描述|什么问题|什么情况|哪里坏|怎么了|具体情况|说明.{0,4}问题"),
    ("photos", r"照片|图片|拍照|拍一?张"),
    ("yes_no", r"吗|是否|对不对|是不是|可以吗"),
)
# Kinds that need more than words: a choice of orders lists at least two of them.
GUARDS = {"which_order": lambda reply: len(order_numbers(reply)) >= 2}
# Parts of a contact question: which of these it asks for.
CONTACT_PARTS = {"phone": r"电话|手机|号码|联系方式", "name": r"称呼|姓名|名字|贵姓|怎么叫",
                 "unit": r"学院|部门|单位|班级|院系"}
# Sentences that point somewhere else, not questions to answer (a phone to call, a safety line).
NOT_A_QUESTION = re.compile(r"致电|拨打|请打|紧急电话|服务电话|报修电话|值班电话|联系物业|热线")

# The generic "I did not understand" reply, however it is worded.
FALLBACK = re.compile(r"没太明白|没明白|没听懂|没看懂|不太理解|没理解|不明白您|无法理解|"
                      r"看不懂|不理解您")
# What a reply must tell, by the meaning a person looks for (Move.expect).
PHONE_NUMBER = r"(?<!\d)(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)"
TELLS = {
    "wait_time": r"\d+\s*(分钟|小时|个小时)|半小时|一小时|当天|今天内",   # a time, not 尽快
    "charge": r"免费|收费|费用|不收|材料费|付费|\d+\s*元",
    "desk_phone": PHONE_NUMBER,
    "human": r"人工|客服|值班|工作人员|前台",
    "safety": r"关闭|关掉|关上|拉闸|断电|电闸|总阀|阀门|警铃|撤离|离开|远离|切勿|开窗|通风|"
              r"不要(扒|靠近|触|碰|使用|开关|点火|用|乘)|报警|(?<!\d)(119|110|120)(?!\d)",
    "emergency_phone": PHONE_NUMBER,
    "greeting": r"您好|你好|在的|在呢|我在|欢迎",
    "here": r"在的|在呢|我在|在线|您好|你好|请讲|请说",
    "thanks": r"不客气|不用谢|客气|应该的|随时|很高兴|乐意",
    "report": r"受理|完成率|报修量|工单数|报修\s*\d|完成\s*\d",
    "month": r"本月|这个月|本月份|\d{1,2}月|\d{2}-01",
    "overdue": r"超时",
    "status": r"待受理|已派单|已接单|维修中|已完工|已评价|已关闭|挂起|已取消|处理中|派单|接单",
}


@dataclass(frozen=True)
class Question:
    """What a reply asks: its kind, the sentence that asks it, and its parts (a contact's
    phone, name or unit; the category a guess names)."""
    kind: str
    text: str
    parts: frozenset = frozenset()

    def asked_again_by(self, other: Optional["Question"]) -> bool:
        """Whether `other`, asked after this was answered, asks it again: the same question,
        or the category list after a guess was answered (the answer was not taken)."""
        if other is None:
            return False
        return (self.kind, self.parts) == (other.kind, other.parts) or \
            (self.kind, other.kind) == ("category_guess", "category")


def sentences(reply: str) -> list[str]:
    """The reply cut after 。！？ and line breaks, blank pieces dropped."""
    return [s.strip() for s in SENTENCE_END.split(reply) if s.strip()]


def question(reply: str) -> Optional[Question]:
    """The last question the reply asks, or None when it asks nothing we can tell."""
    parts = sentences(reply)
    for index in range(len(parts) - 1, -1, -1):
        asked = parts[index]
        if not ASKS.search(asked) or NOT_A_QUESTION.search(asked):
            continue
        window = (parts[index - 1] + asked) if index else asked
        # A guess names its category in the sentence before "reply 是"; otherwise the asking
        # sentence itself says what it asks, and the one before only helps when it does not.
        kind = _kind(window, reply, ("category_guess",)) or _kind(asked, reply) \
            or _kind(window, reply)
        if kind:
            return Question(kind, asked, _parts(kind, asked, window))
    return None


def _kind(text: str, reply: str, only: tuple = ()) -> Optional[str]:
    return next((kind for kind, signs in QUESTIONS if (not only or kind in only)
                 and re.search(signs, text) and GUARDS.get(kind, _always)(reply)), None)


def _always(reply: str) -> bool:
    return True


def _parts(kind: str, asked: str, window: str) -> frozenset:
    """What a contact question asks for, or which category a guess names."""
    if kind == "contact":
        return frozenset(part for part, signs in CONTACT_PARTS.items() if re.search(signs, asked))
    if kind == "category_guess":
        return frozenset({guessed_category(window)})
    return frozenset()


def is_fallback(reply: str) -> bool:
    """Whether the reply is the generic 'did not understand'."""
    return bool(FALLBACK.search(reply))


def tells(reply: str, what: str, own_phone: str = "") -> bool:
    """Whether the reply tells `what` (a row of TELLS); a phone to call is never the
    person's own number said back to them."""
    if TELLS[what] is PHONE_NUMBER:
        own = re.sub(r"\D", "", own_phone)
        return any(re.sub(r"\D", "", found) != own for found in re.findall(PHONE_NUMBER, reply))
    return bool(re.search(TELLS[what], reply))


def quoted(reply: str, among: str) -> str:
    """The first word the reply asks for in quotes (回复“跳过”) that matches `among`."""
    return next((w for w in re.findall(r"[“\"]([^”\"]{1,6})[”\"]", reply) if re.fullmatch(among, w)),
                "")


def guessed_category(text: str) -> str:
    """The category a guess names: 【水电】, or '' when none is named."""
    found = re.search(r"【(.+?)】", text)
    return found.group(1) if found else ""


def numbered_choices(reply: str) -> list[tuple[str, str]]:
    """Numbered lines of a reply: [('1', '水电'), ('2', 'BX… 空调 …')]."""
    return re.findall(r"^\s*(\d{1,2})\s*[.、．)）:：]\s*(.+)$", reply, re.M)


def order_numbers(reply: str) -> list[str]:
    return [n.upper() for n in ORDER_NUMBER.findall(reply)]
