"""The blind cast, continued: people who twist the flow (corrections, a change of mind, an
answer to another question, questions of their own, photos at odd moments) and people who come
for something else: quitting in their own words, following up an order loosely (怎么还没人来,
我那个单子呢, 评个分 5星, 不修了取消吧), engineers' shop-floor words (马上到, 搞定, 弄好了),
leaders' questions (本月数据, 有超时的吗) and small talk."""
from __future__ import annotations

from datetime import timedelta

from tests.personas.cast_others import follow_up, staff
from tests.personas.cast_reports import A_DORM, B_DORM, report
from tests.personas.people import (ACCEPT, ARRIVE, CANCEL, CHAT, COMPLETE, PHOTO, QUERY, QUIT,
                                   RATE, REOPEN, STATS, URGE, Facts, Move, Person, Place, Prior)

TWISTERS = (
    report("b_fix_phone", "电话末位打错又改，带横线", "correcting",
           Facts(("门窗家具",), Place(A_DORM, "102"), ("抽屉",), phone="13912345679",
                 name="屈同学", unit="材料学院"),
           ["A栋102 书桌抽屉坏了拉不出来"],
           dict(place="A栋102", what="抽屉拉不出来", contact="屈同学 13912345670",
                phone="13912345670", unit="材料学院", yes="好", no_photo="没有"),
           moves=(Move("电话错了，应该是139-1234-5679", after="contact"),)),
    report("b_fix_fault", "核对时才发现故障说错了", "correcting",
           Facts(("水电",), Place(A_DORM, "201"), ("插座",), ("灯",), phone="13244446666",
                 name="卢同学", unit="法学院"),
           ["A栋201 灯不亮"],
           dict(place="A栋201", what="插座没电", contact="卢同学 13244446666", unit="法学院",
                yes="对", no_photo="没有"),
           moves=(Move("等下 说错了 不是灯 是插座没电", when="summary"),)),
    report("b_place_twice", "门牌改了两次口", "correcting",
           Facts(("门窗家具",), Place(("1号楼",), "201", never=("202",)), ("玻璃", "窗"),
                 phone="13566665555", name="祁同学", unit="物理学院"),
           ["报修"],
           dict(category="#门窗家具", what="窗户玻璃裂了", place="1号楼201",
                contact="祁同学 13566665555", unit="物理学院", yes="是的", no_photo="没有"),
           moves=(Move("不对，是202", after="place"),
                  Move("啊不是不是 还是201 看错门牌了", when="contact"))),
    report("b_quit_comeback", "说不修了又回头要修", "changing",
           Facts(("空调",), Place(("1号楼",), "101"), ("空调", "不凉"), phone="13988887777",
                 name="苗同学", unit="土木学院"),
           ["1号楼101 空调不凉"],
           dict(place="1号楼101", what="空调不凉", contact="苗同学 13988887777",
                unit="土木学院", yes="嗯嗯", no_photo="没有"),
           moves=(Move("算了不修了", when="contact"),
                  Move("哎 还是修吧 空调不凉热得受不了", when="contact"))),
    report("b_busy_answer", "问电话却答“下午都在”", "off_topic",
           Facts(("水电",), Place(("1号楼",), "102"), ("插座",), phone="13100001111",
                 name="车同学", unit="经济学院"),
           ["1号楼102 插座没电了"],
           dict(place="1号楼102", what="插座没电", contact="车同学 13100001111",
                unit="经济学院", yes="好", no_photo="没有"),
           moves=(Move("我一般下午都在宿舍", when="contact"),)),
    report("b_phone_for_place", "问地点先报了手机号", "off_topic",
           Facts(("网络",), Place(A_DORM, "101"), ("网",), phone="13312344321", name="苏同学",
                 unit="文学院"),
           ["报修"],
           dict(category="#网络", what="校园网登不上去", place="A栋101",
                contact="苏同学 13312344321", name="苏同学", unit="文学院", yes="好的",
                no_photo="没有"),
           moves=(Move("13312344321", when="place"),)),
)

ASKERS = (
    report("b_ask_when", "问“师傅啥时候能到”", "asking",
           Facts(("空调",), Place(("3号楼",), "201"), ("空调", "制热"), phone="13877776666",
                 name="任同学", unit="体育学院"),
           ["3号楼201空调不制热"],
           dict(place="3号楼201", what="空调不制热", contact="任同学 13877776666",
                unit="体育学院", yes="好", no_photo="没有"),
           moves=(Move("师傅啥时候能到啊", when="contact", expect="wait_time"),)),
    report("b_ask_cost", "问“修这个收钱不”", "asking",
           Facts(("门窗家具",), Place(B_DORM, "101"), ("柜",), phone="15077778888",
                 name="巫同学", unit="艺术学院"),
           ["报修 衣柜门合页掉了"],
           dict(place="B栋101", what="衣柜门合页掉了", contact="巫同学 15077778888",
                unit="艺术学院", yes="可以", no_photo="没有"),
           moves=(Move("修这个收钱不", when="place", expect="charge"),)),
    report("b_ask_phone", "核对时要值班电话", "asking",
           Facts(("水电",), Place(("第一教学楼",), "A101"), ("投影", "没电", "插座"),
                 phone="13655554444", name="储老师", unit="教务处"),
           ["第一教学楼A101讲台插座没电，投影开不了"],
           dict(place="第一教学楼A101", what="讲台插座没电", contact="储老师 13655554444",
                unit="教务处", yes="是", no_photo="没有"),
           moves=(Move("你们值班电话是多少啊", when="summary", expect="desk_phone"),)),
    report("b_ask_human", "要“真人”的学生", "asking",
           Facts(("网络",), Place(("1号楼",), "201"), ("网",), phone="13544443333",
                 name="房同学", unit="政治学院"),
           ["报修"],
           dict(category="#网络", place="1号楼201", what="网口插上网线没反应",
                contact="房同学 13544443333", unit="政治学院", yes="行吧", no_photo="没有"),
           moves=(Move("能不能让真人来回我", when="what", expect="human"),)),
)

PHOTOGRAPHERS = (
    report("b_photo_mid", "问电话时发来一张照片", "photo",
           Facts(("门窗家具",), Place(A_DORM, "101"), ("玻璃", "窗"), phone="13211113333",
                 name="贺同学", unit="化工学院"),
           ["报修 A栋101 窗户玻璃碎了"],
           dict(place="A栋101", what="窗户玻璃碎了", contact="贺同学 13211113333",
                unit="化工学院", yes="好", no_photo="就那一张"),
           moves=(Move(PHOTO, when="contact"),), photos=1, photo_when="odd"),
    report("b_photo_after_two", "提交后连发两张照片", "photo",
           Facts(("水电",), Place(("3号楼",), "301"), ("水管", "漏水"), phone="15911112222",
                 name="齐同学", unit="地理学院"),
           ["3号楼301 洗手台下面水管漏水 地上湿了一片"],
           dict(place="3号楼301", what="洗手台下面水管漏水", contact="齐同学 15911112222",
                unit="地理学院", yes="确认了", no_photo="等会发"),
           photos=2, photo_when="submitted", after=(PHOTO, PHOTO)),
    report("b_photos_first", "先甩两张图再说“就这个”", "photo",
           Facts(("门窗家具",), Place(("3号楼",), "101"), ("门把手",), phone="13766665555",
                 name="景同学", unit="生物学院"),
           [PHOTO, PHOTO, "就这个 门把手掉了"],
           dict(place="3号楼101", what="门把手掉了", contact="景同学 13766665555",
                unit="生物学院", yes="是", no_photo="发过了"),
           photos=2, photo_when="first"),
)

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
TAP = Prior("dispatched", "水电", "东校区 3号楼 201", "水龙头一直滴水", 2 * HOUR)
NET = Prior("dispatched", "网络", "东校区 1号楼 202", "网口没信号", 3 * HOUR)
DOOR_DONE = Prior("completed", "门窗家具", "西校区 学生公寓B栋 201", "门锁坏了", DAY)
PIPE_DONE = Prior("completed", "水电", "东校区 1号楼 101", "洗手池水管漏水", 3 * DAY)

QUITTERS = (
    Person("b_quit_fixed", "核对时说自己弄好了", QUIT, "quitting",
           Facts(("水电",)), ("A栋101 灯管不亮",),
           dict(place="A栋101", what="灯管不亮", contact="施同学 13400001111", unit="文学院",
                yes="是", no_photo="没有"),
           moves=(Move("不用了 自己弄好了", when="summary"),)),
    Person("b_quit_place", "问到地点说没事了", QUIT, "quitting",
           Facts(("网络",)), ("报修 网络",), dict(category="#网络", what="网断了"),
           moves=(Move("没事了 不用修了 网又好了", when="place"),)),
)

FOLLOW_UPS = (
    follow_up("b_urge_why", "等急了问“怎么还没人来”", URGE, ["怎么还没人来啊？？都两个小时了"],
              [TAP]),
    follow_up("b_urge_once", "只说“催一下”", URGE, ["催一下"], [NET]),
    follow_up("b_where_mine", "问“我那个单子呢”", QUERY, ["我那个单子呢"], [TAP]),
    follow_up("b_progress", "两张单，问“进度咋样了”", QUERY, ["进度咋样了"], [TAP, NET],
              target=1),
    follow_up("b_query_last4", "记得后四位，“查下xxxx到哪了”", QUERY, ["查下{last4}到哪了"],
              [TAP, NET]),
    follow_up("b_rate_stars", "“评个分 5星”", RATE, ["评个分 5星"], [DOOR_DONE], score="5星"),
    follow_up("b_rate_praise", "“师傅修得很好 给个好评👍”", RATE, ["师傅修得很好 给个好评👍"],
              [DOOR_DONE], score="5"),
    follow_up("b_cancel_casual", "“不修了取消吧”", CANCEL, ["不修了取消吧"], [NET]),
    follow_up("b_reopen_again", "水管又漏了，要返修", REOPEN, ["上回修的水管又漏了 返修一下"],
              [PIPE_DONE]),
)

JOB = Prior("dispatched", "水电", "东校区 3号楼 301", "卫生间灯不亮", HOUR)
TAKEN = Prior("accepted", "水电", "东校区 1号楼 201", "插座没电", 2 * HOUR)
ON_SITE = Prior("arrived", "水电", "西校区 学生公寓B栋 101", "开关坏了", HOUR)

STAFF = (
    staff("b_eng_coming", "师傅回“马上到”接单", "engineer", ACCEPT, ["马上到"], [JOB]),
    staff("b_eng_thumb", "师傅回“👌收到”", "engineer", ACCEPT, ["👌收到"], [JOB]),
    staff("b_eng_onsite", "师傅说“到现场了”", "engineer", ARRIVE, ["到现场了"], [TAKEN]),
    staff("b_eng_done", "师傅只回“搞定”", "engineer", COMPLETE, ["搞定"], [ON_SITE],
          solution="换了个开关"),
    staff("b_eng_done_said", "师傅说“弄好了，换了个开关面板”", "engineer", COMPLETE,
          ["弄好了，换了个开关面板"], [ON_SITE], solution="换了个开关面板"),
    staff("b_lead_month", "领导问“本月数据”", "leader", STATS,
          [Move("本月数据", expect="report+month")], [TAP, DOOR_DONE]),
    staff("b_lead_overdue", "领导问“有超时的吗”", "leader", STATS,
          [Move("有超时的吗", expect="overdue+target")],
          [Prior("dispatched", "空调", "东校区 3号楼 101", "空调不制冷", 3 * DAY)]),
    staff("b_lead_today", "领导问“今天报修了多少单”", "leader", STATS,
          [Move("今天报修了多少单", expect="report")], [TAP, NET]),
)

CHATTERS = (
    Person("b_chat", "问在不在，再说声谢谢", CHAT, "chatting", Facts(),
           (Move("在不在", expect="here"), Move("好的 谢谢啦", expect="thanks"))),
)

BLIND_MORE = (TWISTERS + ASKERS + PHOTOGRAPHERS + QUITTERS + FOLLOW_UPS + STAFF
              + CHATTERS)
