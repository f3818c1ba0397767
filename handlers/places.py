"""Finding the place in what someone typed or said: 5号楼312, 学生公寓A栋101, 三号楼二零一,
图书馆二楼东侧, a catalogue name anywhere in the sentence; and telling a place that is enough
(a building, a named spot) from one that is not (312 alone, 宿舍, a question).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from handlers.numerals import DIGIT_CLASS, NUMBER_CLASS, to_arabic

N, D = NUMBER_CLASS, DIGIT_CLASS
BUILDING = (rf"(?:第?[{N}]{{1,3}}|[A-Za-z])\s*(?:号楼|号宿舍楼|号公寓|栋楼|栋|幢|座|号院|区)"
            rf"|(?:学生|研究生|教师|留学生)?(?:公寓|宿舍楼)\s*[A-Za-z{D}]{{0,3}}\s*(?:栋|号楼|号|座)?"
            rf"|(?:第[{N}]|[{N}])?(?:教学楼|实验楼|办公楼|行政楼|综合楼|科技楼|图书馆|体育馆|"
            rf"食堂|餐厅|学生活动中心|活动中心|医院|校医院|游泳馆|礼堂|报告厅|大楼)"
            rf"|(?:东|西|南|北)(?:门|校门|大门)|操场|广场|停车场|地下车库|车库|篮球场|足球场")
UNIT = rf"[{N}]{{1,2}}\s*单元"
FLOOR = rf"[{N}]{{1,2}}\s*(?:楼|层)(?!梯|道|下|上)"
ROOM = rf"[A-Za-z]?[{D}]{{3,4}}(?![{D}年月日元块天次个米岁分号楼栋层])\s*(?:室|房间|房|寝室|宿舍)?"
SIDE = r"(?:东侧|西侧|南侧|北侧|东边|西边|门口|大厅|走廊|楼道|电梯间|楼梯间|一楼|二楼|三楼|顶楼)"
# An estate's address in short: 5-2-301 (栋-单元-室), 3栋2单元502 is read piece by piece.
ESTATE = r"\d{1,3}-\d{1,2}-\d{3,4}"
PIECE = re.compile(rf"{ESTATE}|{BUILDING}|{UNIT}|{FLOOR}|{ROOM}|{SIDE}")
ROOM_ONLY = re.compile(rf"^\s*{ROOM}\s*$")
FLOOR_ONLY = re.compile(rf"^\s*(?:{FLOOR}|{ROOM}|{SIDE}|\s)+$")
HAS_BUILDING = re.compile(rf"{ESTATE}|{BUILDING}")
GENERIC = re.compile(r"^(?:在)?(?:我的?|我们的?)?(?:宿舍|寝室|教室|办公室|家里?|房间|楼道|厕所|卫生间|"
                     r"实验室|这里|那里|这边|那边|楼下|楼上|门口)$")
SAME_AS_LAST = re.compile(r"同一个?(?:房间|地方|位置|宿舍|地点)|还是(?:那里|那儿|那个地方|原来|上次)|"
                          r"老地方|(?:上次|上回)(?:那个|的)?(?:地方|房间|位置|地址|宿舍|教室|办公室|楼)|"
                          r"同上|跟上次一样|和上次一样|原来的地方")
# What may stand between two pieces of one place: 5号楼 的 312, 1号楼 room 202.
JOIN = re.compile(r"^[\s的之,，]*(?:room|rm|房间|房号)?[\s#]*$", re.I)


@dataclass(frozen=True)
class Spot:
    """A place found in a text: what to store, where it stood, and whether it is enough."""
    text: str             # as stored: spoken numbers in digits, pieces joined
    start: int
    end: int
    complete: bool        # names a building or a named spot (a room alone does not)


def find_place(text: str, names: tuple[str, ...] = ()) -> Optional[Spot]:
    """The first run of place pieces (and catalogue `names`) in `text`, or None."""
    pieces = sorted(_pieces(text, names), key=lambda p: (p[0], -p[1]))
    if not pieces:
        return None
    start, end, verbatim = pieces[0]
    parts = [text[start:end] if verbatim else _digits(text[start:end])]
    for piece_start, piece_end, verbatim in pieces[1:]:
        if piece_start < end:
            continue
        if not JOIN.match(text[end:piece_start]):
            break
        piece = text[piece_start:piece_end]
        parts.append(piece if verbatim else _digits(piece))
        end = piece_end
    stored = "".join(part.strip() for part in parts)
    return Spot(stored, start, end, complete=is_enough(stored, names))


def _pieces(text: str, names: tuple[str, ...]):
    """(start, end, verbatim): catalogue names are kept as written, patterns get digits."""
    for name in names:
        at = text.find(name)
        if at >= 0:
            yield at, at + len(name), True
    for match in PIECE.finditer(text):
        yield match.start(), match.end(), False


def _digits(piece: str) -> str:
    """Spoken numbers inside one place piece in digits: 三号楼 → 3号楼, 二零一 → 201."""
    return re.sub(rf"[{N}]+", lambda m: to_arabic(m.group()), piece).replace(" ", "")


def is_enough(place: str, names: tuple[str, ...] = ()) -> bool:
    """A place a worker can go to: a building or named spot, not a room or floor alone."""
    if HAS_BUILDING.search(place) or any(name in place for name in names):
        return True
    return not FLOOR_ONLY.match(place) and len(place) >= 4 and not GENERIC.match(place)


def is_room_only(text: str) -> bool:
    """312, A101, 二零一: a room with no building."""
    return bool(ROOM_ONLY.match(text))


def is_generic(text: str) -> bool:
    """宿舍, 教室, 这里: a place word that says no place."""
    return bool(GENERIC.match(text.strip(" ，,。.!！")))


def means_last_place(text: str) -> bool:
    """同一个房间, 还是那里, 老地方: the place of the reporter's previous order."""
    return bool(SAME_AS_LAST.search(text))


def with_building(place: str, correction: str) -> str:
    """A correction that names no building keeps the place's: '3号楼 201' corrected by '401'
    is '3号楼 401', '5号楼3楼楼道' by '4楼' is '5号楼4楼楼道'."""
    correction = correction.strip()
    building = HAS_BUILDING.search(place)
    if HAS_BUILDING.search(correction) or not building:
        return correction
    for kind in (FLOOR, ROOM):
        if re.fullmatch(kind, correction) and re.search(kind, place[building.end():]):
            rest = re.sub(kind, correction, place[building.end():], count=1)
            return place[:building.end()] + rest
    return f"{place[:building.end()].strip()} {correction}"
