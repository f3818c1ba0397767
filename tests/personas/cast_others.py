"""People who come for something else: quitting halfway, following up an order (with the
number typed loosely or not at all), engineers' job steps, leaders' figures, small talk."""
from __future__ import annotations

from datetime import timedelta

from tests.personas.people import (ACCEPT, ARRIVE, CANCEL, CHAT, COMPLETE, QUERY, QUIT, RATE,
                                   REOPEN, STATS, URGE, Facts, Move, Person, Place, Prior)

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
LIGHT = Prior("dispatched", "水电", "东校区 1号楼 201", "卫生间灯不亮", 2 * HOUR)
AIRCON = Prior("dispatched", "空调", "东校区 1号楼 201", "空调不制冷", HOUR)
TAP_DONE = Prior("completed", "水电", "东校区 3号楼 201", "水龙头关不紧", 2 * DAY)
AIRCON_DONE = Prior("completed", "空调", "东校区 3号楼 101", "空调漏水", 3 * DAY)
LAMP_DONE = Prior("completed", "水电", "东校区 3号楼 101", "灯管不亮", DAY)
OWNER = Facts(phone="13611112222", name="常同学", unit="数学学院")

QUITTERS = (
    Person("quit_contact", "填到电话不想修了", QUIT, "quitting", Facts(("门窗家具",)),
           ("报修 3号楼201 柜子门合不上",),
           dict(place="3号楼201", what="柜子门合不上", yes="是", no_photo="没有"),
           moves=(Move("算了不修了", when="contact"),)),
    Person("quit_place", "说到地点就不要了", QUIT, "quitting", Facts(("水电",)),
           ("我要报修",), dict(category="#水电", what="灯不亮"),
           moves=(Move("不要了", when="place"),)),
    Person("quit_summary", "核对时退出", QUIT, "quitting",
           Facts(("水电",), Place(("1号楼",), "102"), ("灯",), phone="13700002222",
                 name="潘同学", unit="法学院"),
           ("报修 1号楼102 台灯插座没电",),
           dict(place="1号楼102", what="台灯插座没电", contact="潘同学 13700002222",
                unit="法学院", yes="是", no_photo="没有"),
           moves=(Move("退出", when="summary"),)),
)


def follow_up(key, who, goal, opening, priors, target=0, **says) -> Person:
    """A reporter on file with earlier orders, acting on one of them (`target`)."""
    return Person(key, who, goal, "follow_up", OWNER, tuple(opening),
                  dict(yes="是的", **says), known=True, priors=tuple(priors), target=target)


FOLLOW_UPS = (
    follow_up("urge_bare", "等急了只打“催单”", URGE, ["催单"], [LIGHT]),
    follow_up("urge_choice", "两张单都在等，催灯那张", URGE, ["催单"], [LIGHT, AIRCON]),
    follow_up("rate_bare", "只打“评价”", RATE, ["评价"], [LAMP_DONE], score="5分 师傅很负责"),
    follow_up("rate_choice", "两张单都修好了，评空调那张", RATE, ["评价"],
              [AIRCON_DONE, LAMP_DONE], score="4 还可以"),
    follow_up("cancel_bare", "打“取消报修”", CANCEL, ["取消报修"],
              [Prior("dispatched", "门窗家具", "东校区 1号楼 102", "柜门合页松了", HOUR / 2)]),
    follow_up("query_spaced", "单号中间带空格", QUERY, ["查询 {spaced}"], [LIGHT, AIRCON]),
    follow_up("query_glued", "查询和单号连着打", QUERY, ["查询{number}"], [LIGHT, AIRCON]),
    follow_up("query_lower", "小写的 bx", QUERY, ["查询 {lower}"], [LIGHT, AIRCON], target=1),
    follow_up("query_last4", "只记得后四位", QUERY, ["查询 {last4}"], [LIGHT, AIRCON], target=1),
    follow_up("reopen_bare", "水龙头又坏了，返修不带单号", REOPEN, ["返修 水龙头又开始滴水了"],
              [TAP_DONE]),
)


def staff(key, who, role, goal, opening, priors, target=0, **says) -> Person:
    return Person(key, who, goal, "staff", Facts(), tuple(opening), says, role=role,
                  priors=tuple(priors), target=target)


STAFF = (
    staff("eng_got_it", "维修师傅回“收到”", "engineer", ACCEPT, ["收到"],
          [Prior("dispatched", "水电", "东校区 3号楼 101", "走廊灯不亮", HOUR / 2)]),
    staff("eng_ok", "维修师傅回“好的”，接最新那单", "engineer", ACCEPT, ["好的"],
          [Prior("dispatched", "水电", "东校区 3号楼 101", "走廊灯不亮", 2 * HOUR),
           Prior("dispatched", "空调", "东校区 1号楼 202", "空调不制热", HOUR / 3)], target=1),
    staff("eng_there", "维修师傅到了说“到了”", "engineer", ARRIVE, ["到了"],
          [Prior("accepted", "水电", "东校区 1号楼 101", "马桶堵了", HOUR)]),
    staff("eng_fixed", "维修师傅说“修好了”", "engineer", COMPLETE, ["修好了"],
          [Prior("arrived", "水电", "西校区 学生公寓A栋 201", "灯管不亮", HOUR)],
          solution="换了个新的镇流器"),
    staff("lead_today", "校领导问“统计一下”", "leader", STATS,
          [Move("统计一下", expect="report")],
          [LIGHT, Prior("completed", "水电", "东校区 3号楼 101", "灯管不亮", 3 * HOUR)]),
    staff("lead_month", "校领导问“这个月怎么样”", "leader", STATS,
          [Move("这个月怎么样", expect="report+month")], [LIGHT, LAMP_DONE]),
    staff("lead_overdue", "校领导问“超时工单”", "leader", STATS,
          [Move("超时工单", expect="overdue+target")],
          [Prior("dispatched", "门窗家具", "西校区 学生公寓A栋 102", "门锁坏了", 2 * DAY)]),
)

CHATTERS = (
    Person("small_talk", "打个招呼说声谢谢", CHAT, "chatting", Facts(),
           (Move("你好", expect="greeting"), Move("谢谢", expect="thanks"))),
)

OTHERS = QUITTERS + FOLLOW_UPS + STAFF + CHATTERS
