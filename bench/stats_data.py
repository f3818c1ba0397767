"""The data behind the million-order benchmarks: catalogue, users, orders and their events.

Deterministic (one seed) and fast: rows are plain tuples with times as stored text. What the
orders look like is described in stats_bench.py; stats_load.py puts them into a database.
"""
from __future__ import annotations

import math
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from models.seed import FAULT_TYPES  # noqa: E402

DATA_VERSION = "v3"   # v3: reporters with phones, names and units; worded descriptions
NOW = datetime(2026, 11, 26, 9, 30)
REPORT_MONTH = date(2026, 10, 1)     # the last full month, and a busy one
MONTH_WEIGHTS = {1: .8, 2: .5, 3: 1.1, 4: 1, 5: 1, 6: 1, 7: .6, 8: .6, 9: 1.3, 10: 1.2,
                 11: 1.1, 12: 1}
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 8, 10, 14, 15, 13, 10, 8, 7, 6, 4, 3, 2)
TYPE_WEIGHTS = (35, 15, 15, 12, 10, 5, 3, 3, 2)      # FAULT_TYPES in the seed's order
DEPARTMENTS = ("后勤服务中心", "工程部", "秩序部", "客服部", "信息中心")
ENGINEERS, REPORTERS, BUILDINGS, ROOMS, TYPED = 2000, 40000, 60, 40, 6000
RATING_WEIGHTS = (4, 4, 10, 30, 52)
MONTHS = 36      # 1,000,000 orders in three years: about 28,000 a month, as the issue expects
FIRST = DAYS = NOW_S = DAY_TEXT = None    # set by set_span()
VARYING = ("id", "number", "kind", "reporter", "category", "location", "location_text",
           "department", "description", "phone", "priority", "status", "engineer",
           "submitted_at", "dispatched_at", "accepted_at", "arrived_at", "completed_at",
           "rated_at", "closed_at", "cancelled_at", "rating", "reporter_name", "reporter_unit")
USER_FIELDS = ("id", "openid", "name", "role", "created_at", "phone", "unit")
# Who reports, as the back office's search meets them: a phone each, a name (names repeat, as
# they do), and one of 24 units, or none for one reporter in six. Pure functions of the
# reporter's number, so the orders' random stream is what it was before they existed.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "晓东", "子涵", "浩然", "雨桐", "欣怡", "梓轩", "一诺",
         "思远", "佳怡", "宇航")
UNITS = ("计算机学院", "外国语学院", "机械工程学院", "材料学院", "化学化工学院", "理学院",
         "经济管理学院", "人文学院", "艺术设计学院", "信息学院", "环境学院", "法学院", "体育部",
         "图书馆", "后勤处", "保卫处", "教务处", "学生处", "研究生院", "财务处", "校医院",
         "国际交流处", "资产处", "网络中心")
# Words of the descriptions, by fault type (FAULT_TYPES' order), searched by the bench.
WORDS = (("水龙头漏水", "马桶堵塞", "灯不亮", "插座没电", "热水器不出热水", "下水道反味"),
         ("门锁坏了", "窗户关不上", "桌椅损坏", "柜门脱落"),
         ("空调不制冷", "空调漏水", "空调有异响", "遥控器失灵"),
         ("网口没信号", "无线网连不上", "网速很慢", "电话没声音"),
         ("墙面渗水", "天花板掉灰", "电梯停运", "路灯不亮", "楼梯扶手松动"),
         ("道路积水", "井盖松动", "垃圾没有清运"),
         ("消防通道堵塞", "灭火器过期", "陌生人进入"),
         ("钥匙丢失", "校园卡丢失", "物品遗失"),
         ("装修噪音", "装修材料堆放", "入住钥匙交接"))
EVENT_FIELDS = ("order", "actor", "trigger", "from_status", "to_status", "note", "created_at")



def set_span(months: int) -> None:
    """The data covers the `months` months before NOW."""
    global FIRST, DAYS, NOW_S, DAY_TEXT
    back = NOW.year * 12 + NOW.month - 1 - months
    FIRST = datetime(back // 12, back % 12 + 1, NOW.day)
    DAYS = (NOW - FIRST).days
    NOW_S = int((NOW - FIRST).total_seconds())
    DAY_TEXT = [f"{FIRST + timedelta(days=d):%Y-%m-%d}" for d in range(DAYS + 40)]


def stamp(seconds):
    """FIRST + seconds as stored text, or None (much faster than datetime arithmetic)."""
    if seconds is None:
        return None
    day, rest = divmod(seconds, 86400)
    hour, rest = divmod(rest, 3600)
    return f"{DAY_TEXT[day]} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}"


# ---------------------------------------------------------------- the data


def catalogue():
    """Rows for departments, fault types, locations and users; the places orders name."""
    departments = [(i + 1, name, None if i == 0 else 1) for i, name in enumerate(DEPARTMENTS)]
    types = [(i + 1, name, kind, DEPARTMENTS.index(dept) + 1)
             for i, (name, kind, dept, *_) in enumerate(FAULT_TYPES)]
    locations = campus_locations()
    places = [(row[0], row[4]) for row in locations if row[3] != "campus"]
    created = stamp(0)
    users = [(i, f"o_bench_{i:06d}", f"工程师{i:04d}", "engineer", created, "", "")
             for i in range(1, ENGINEERS + 1)]
    users += [(i, f"o_bench_{i:06d}", reporter_name(i), "reporter", created, reporter_phone(i),
               reporter_unit(i)) for i in range(ENGINEERS + 1, ENGINEERS + REPORTERS + 1)]
    return departments, types, locations, users, places


def reporter_phone(user_id: int) -> str:
    """A mobile number of its own for each reporter."""
    return f"1{3 + user_id % 7}{user_id:09d}"


def reporter_name(user_id: int) -> str:
    """A Chinese name; 900 of them for 40,000 reporters, so a name is often shared."""
    return SURNAMES[user_id % len(SURNAMES)] + GIVEN[user_id // len(SURNAMES) % len(GIVEN)]


def reporter_unit(user_id: int) -> str:
    """One of UNITS, or none for one reporter in six."""
    return "" if user_id % 6 == 0 else UNITS[user_id * 7 % len(UNITS)]


def campus_locations() -> list[tuple]:
    """Two campuses, BUILDINGS buildings each, ROOMS rooms per building: (id, name, parent,
    level, full name)."""
    rows = [(1, "东校区", None, "campus", "东校区"), (2, "西校区", None, "campus", "西校区")]
    for b in range(BUILDINGS * 2):
        campus = rows[b % 2]
        building = (len(rows) + 1, f"{b + 1}号楼", campus[0], "building",
                    f"{campus[4]} {b + 1}号楼")
        rows.append(building)
        for r in range(ROOMS):
            room = f"{r // 10 + 1}{r % 10 + 1:02d}"
            rows.append((len(rows) + 1, room, building[0], "room", f"{building[4]} {room}"))
    return rows


def batches(n: int, places, size: int = 50_000):
    """Orders and their events, oldest first, in lists of `size` orders; always the same data."""
    rng = random.Random(20261126)
    times = submit_times(rng, n)
    place_weights = zipf_weights(rng, len(places))
    typed = [(None, f"{'东西'[i % 2]}区 {name}") for i, name in enumerate(
        f"{p}{k}号" for k in range(TYPED // 4) for p in ("路灯", "楼道", "食堂窗口", "操场看台"))]
    typed_weights = zipf_weights(rng, len(typed))
    sequence, last_day = 0, None
    for first in range(0, n, size):
        orders, events = [], []
        count = min(size, n - first)
        types = rng.choices(range(len(TYPE_WEIGHTS)), weights=TYPE_WEIGHTS, k=count)
        spots = rng.choices(places, cum_weights=place_weights, k=count)
        texts = rng.choices(typed, cum_weights=typed_weights, k=count)
        for k in range(count):
            order_id, submitted = first + k + 1, times[first + k]
            day = submitted // 86400
            sequence = sequence + 1 if day == last_day else 1
            last_day = day
            place = spots[k] if rng.random() < 0.75 else texts[k]
            orders.append(order_row(rng, order_id, submitted, sequence, types[k] + 1, place))
            events.extend(order_events(rng, orders[-1]))
        yield orders, events


def submit_times(rng, n: int) -> list[int]:
    """n submission times (seconds after FIRST), sorted, with the season, week and day shapes."""
    weights = [MONTH_WEIGHTS[(FIRST + timedelta(days=d)).month] *
               (0.6 if (FIRST + timedelta(days=d)).weekday() >= 5 else 1) for d in range(DAYS)]
    days = rng.choices(range(DAYS), weights=weights, k=n)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=n)
    return sorted(d * 86400 + h * 3600 + rng.randrange(3600) for d, h in zip(days, hours))


def zipf_weights(rng, size: int) -> list[float]:
    """Cumulative weights 1/√rank over a shuffled ranking: some hot spots, a long tail."""
    ranks = list(range(1, size + 1))
    rng.shuffle(ranks)
    total, cumulative = 0.0, []
    for rank in ranks:
        total += rank ** -0.5
        cumulative.append(total)
    return cumulative


def delay(rng, median_seconds: float, spread: float) -> int:
    """A log-normal delay: most close to the median, a long tail."""
    return int(rng.lognormvariate(math.log(median_seconds), spread))


def order_row(rng, order_id, submitted, sequence, type_id, place) -> tuple:
    """One order in VARYING's column order, its lifecycle cut at NOW."""
    name, kind, dept_name, *_ = FAULT_TYPES[type_id - 1]
    t = lifecycle(rng, submitted)
    status = current_status(rng, t)
    engineer = rng.randrange(type_id, ENGINEERS + 1, len(TYPE_WEIGHTS)) \
        if t["dispatched"] is not None and status != "cancelled" else None
    rated = t["rated"] is not None
    rating = rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0] if rated else None
    reporter = ENGINEERS + 1 + order_id % REPORTERS
    words = WORDS[type_id - 1]
    return (order_id, f"BX{DAY_TEXT[submitted // 86400].replace('-', '')}{sequence:04d}", kind,
            reporter, type_id, place[0], place[1], DEPARTMENTS.index(dept_name) + 1,
            f"{name}故障：{words[order_id * 7919 % len(words)]}", reporter_phone(reporter),
            "urgent" if rng.random() < 0.05 else "normal", status, engineer, stamp(submitted),
            stamp(t["dispatched"]), stamp(t["accepted"]), stamp(t["arrived"]),
            stamp(t["completed"]), stamp(t["rated"]), stamp(t["closed"]), stamp(t["cancelled"]),
            rating, reporter_name(reporter), reporter_unit(reporter))


def lifecycle(rng, submitted: int) -> dict:
    """When each step happened (seconds after FIRST); steps after NOW did not happen yet."""
    t = dict.fromkeys(("dispatched", "accepted", "arrived", "completed", "rated", "closed",
                       "cancelled"))
    if rng.random() < 0.04:
        t["cancelled"] = submitted + rng.randint(60, 7200)
        return {k: (v if v is not None and v <= NOW_S else None) for k, v in t.items()}
    t["dispatched"] = submitted + rng.randint(5, 90)
    t["accepted"] = t["dispatched"] + delay(rng, 240, 0.9)
    t["arrived"] = t["accepted"] + delay(rng, 540, 0.6) if rng.random() < 0.92 else None
    if rng.random() >= 0.015:
        t["completed"] = (t["arrived"] or t["accepted"]) + delay(rng, 4200, 1.1)
        t["rated"] = t["completed"] + rng.randint(600, 172800) if rng.random() < 0.6 else None
        t["closed"] = (t["rated"] or t["completed"]) + 3 * 86400
    return {k: (v if v is not None and v <= NOW_S else None) for k, v in t.items()}


def current_status(rng, t: dict) -> str:
    """The status the cut lifecycle leaves the order in."""
    for step, status in (("cancelled", "cancelled"), ("closed", "closed"), ("rated", "rated"),
                         ("completed", "completed")):
        if t[step] is not None:
            return status
    if t["accepted"] is not None:
        paused = NOW_S - t["accepted"] > 86400 and rng.random() < 0.5
        return "suspended" if paused else "arrived" if t["arrived"] is not None else "accepted"
    return "dispatched" if t["dispatched"] is not None else "submitted"


def order_events(rng, order: tuple) -> list[tuple]:
    """The events the engineer statistics read: accept, complete, reject, transfer, escalate."""
    order_id, engineer, accepted, completed = order[0], order[12], order[15], order[17]
    rows = []
    if engineer is not None and accepted is not None:
        rows.append((order_id, engineer, "accept", "dispatched", "accepted", "", accepted))
    if engineer is not None and completed is not None:
        rows.append((order_id, engineer, "complete", "arrived", "completed", "", completed))
    other = rng.randrange(1, ENGINEERS + 1)
    roll = rng.random()
    if roll < 0.03 and order[14] is not None:
        rows.append((order_id, other, "reject", "dispatched", "submitted", "不在班", order[14]))
    elif roll < 0.05 and accepted is not None:
        rows.append((order_id, other, "transfer", "accepted", "submitted", "缺配件", accepted))
    if engineer is not None and order[11] in ("accepted", "arrived", "suspended"):
        rows.append((order_id, None, "escalate", order[11], order[11], "超时", accepted))
    return rows
