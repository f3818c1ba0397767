"""Comparing each stored order with what its person meant, field by field.

Fields: category, place (the building and the room there, nothing that is not a place),
description (the fault, not urgency, a question, a step word or chatter), phone, name, unit,
urgent flag and photos. Texts are compared as a reader would: spaces, full-width forms,
traditional characters and numbers said in Chinese (三号楼三零一) do not matter.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from models.orders import URGENT, Attachment, RepairOrder
from tests.personas.people import Facts, Person

TRADITIONAL = str.maketrans("樓學號館燈電門機視網線廁間層棟內東熱氣圖書歲髮壞沒",
                            "楼学号馆灯电门机视网线厕间层栋内东热气图书岁发坏没")
DIGITS = str.maketrans("零〇一二两三四五六七八九幺", "0012234567891")
CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十幺]+(?=号|楼|栋|层|室|单元|幢|$|\d)|"
                            r"(?<=[号楼栋层])[零〇一二两三四五六七八九幺]{2,}")
# Words that never belong in a stored place or description: questions, refusals, step and
# reply words, chatter. A person's own interjections are added to these for their order.
NOT_PLACE = ("多久", "多长时间", "要钱", "收费", "电话", "吗", "?", "跳过", "完成", "确认", "算了",
             "不修", "不要", "退出", "取消", "同一个", "上次", "一样", "急", "在吗", "你好", "谢谢",
             "没有", "不对", "不是")
NOT_DESCRIPTION = ("多久", "要钱", "电话多少", "转人工", "人工客服", "跳过", "确认", "算了", "不修了",
                   "退出", "在吗", "你好", "谢谢", "没有照片", "不对", "不是")
# Questions a person asks about their own fault (是不是漏气了), not the refusals 不是 and 不对.
QUESTION_FORMS = re.compile(r"是不是|对不对")
PLACE_WORDS = ("东校区", "西校区", "校区", "宿舍", "寝室", "公寓", "号楼", "楼", "层", "室", "房间",
               "号", "栋", "幢", "单元", "的", "我", "在", "家")
LEFTOVER_OK = re.compile(r"^[\dA-Za-z\-#()（）,，、.。:：;；!！]*$")
PHONE_LIKE = re.compile(r"\d{7,}")


@dataclass(frozen=True)
class Wrong:
    """One field stored differently from what the person meant."""
    person: str
    number: str
    field: str
    stored: str
    why: str

    def line(self) -> str:
        return f"{self.person} {self.number} {self.field}“{self.stored}”：{self.why}"


def plain(text: str) -> str:
    """Text as a reader compares it: half-width, simplified, numbers as digits, no spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(TRADITIONAL).lower()
    text = CHINESE_NUMBER.sub(lambda m: _arabic(m.group()), text)
    return re.sub(r"\s+", "", text)


def _arabic(chinese: str) -> str:
    """三零一 → 301, 十二 → 12, 二十 → 20 (floor and building numbers as people say them)."""
    if "十" not in chinese:
        return chinese.translate(DIGITS)
    tens, _, ones = chinese.partition("十")
    return (tens.translate(DIGITS) or "1") + (ones.translate(DIGITS) or "0")


def digits(text: str) -> str:
    return re.sub(r"\D", "", plain(text))


def wrong_fields(person: Person, order: RepairOrder, photos_sent: int) -> list[Wrong]:
    """Every field of `order` that differs from what `person` meant."""
    facts, found = person.facts, []
    asides = tuple(move.say for move in person.moves if not move.after)

    def check(field: str, stored, why) -> None:
        if why:
            found.append(Wrong(person.key, order.number, field, str(stored), why))
    check("类别", order.category.name if order.category_id else "",
          None if not facts.categories or (order.category_id and order.category.name in
                                            facts.categories) else "不是" + "/".join(facts.categories))
    check("地点", order.location_text, place_problem(order.location_text, facts, asides))
    check("描述", order.description, description_problem(order.description, facts, asides))
    check("电话", order.phone, None if digits(order.phone) == digits(facts.phone)
          else f"应为 {facts.phone}")
    check("称呼", order.reporter_name, None if _clean(order.reporter_name) == facts.name
          else f"应为 {facts.name}")
    check("单位", order.reporter_unit, None if _clean(order.reporter_unit) == facts.unit
          else f"应为 {facts.unit}")
    check("紧急", order.priority, None if (order.priority == URGENT) == facts.emergency
          else ("紧急情况没有标为紧急" if facts.emergency else "不紧急却标为紧急"))
    attached = Attachment.select().where(Attachment.order == order).count()
    check("照片", attached, None if attached == photos_sent else f"发了 {photos_sent} 张")
    return found


def place_problem(stored: str, facts: Facts, asides: tuple = ()) -> str | None:
    """Why a stored place is not the place meant; None when it is."""
    place, text = facts.place, plain(stored)
    if place is None:
        return None
    if not any(plain(alias) in text for alias in place.building):
        return "没有楼栋"
    if place.room and plain(place.room) not in text:
        return "没有房间号"
    bad = next((w for w in (*NOT_PLACE, *place.never, *asides, *facts.fault) if plain(w) in text),
               None)
    if bad:
        return f"含有“{bad}”"
    rest = text
    for word in sorted((*place.building, place.room, *place.extra, *PLACE_WORDS), key=len,
                       reverse=True):
        rest = rest.replace(plain(word), "") if word else rest
    if PHONE_LIKE.search(rest) or not LEFTOVER_OK.match(rest):
        return f"多了“{rest}”"
    return None


def description_problem(stored: str, facts: Facts, asides: tuple = ()) -> str | None:
    """Why a stored description does not describe the fault meant; None when it does."""
    text = plain(stored)
    if facts.fault and not any(plain(word) in text for word in facts.fault):
        return "没有说到故障"
    words = QUESTION_FORMS.sub("", text)
    bad = next((w for w in (*NOT_DESCRIPTION, *facts.not_fault, *asides) if plain(w) in words),
               None)
    if bad:
        return f"含有“{bad}”"
    if facts.phone and digits(facts.phone) in digits(stored):
        return "含有电话号码"
    return None


def _clean(text: str) -> str:
    """A stored name or unit without the spaces and end punctuation of typing or voice."""
    return unicodedata.normalize("NFKC", text or "").strip().strip("。.，,！!？? ")
