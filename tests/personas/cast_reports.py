"""People who report a fault: freshmen in one message, guided newcomers, elderly people by
voice, photographers, askers, correctors, emergencies and returning reporters.

Each row says what they mean (Facts) and how they type it (opening, says, moves). The words
are theirs, not the bot's examples; a `#` answer picks a numbered choice by its name.
"""
from __future__ import annotations

from datetime import timedelta

from tests.personas.people import (GUIDED, MENU, ONE_SENTENCE, PHOTO, REPORT, Facts, Person,
                                   Place, Prior)


def report(key, who, way, facts, opening, says, **more) -> Person:
    return Person(key, who, REPORT, way, facts, tuple(opening), says, **more)


def rated_before(category: str, place: str, what: str, days: int = 12) -> tuple[Prior, ...]:
    """A returning reporter's earlier order, long done and rated."""
    return (Prior("rated", category, place, what, timedelta(days=days)),)


A_DORM = ("学生公寓A栋", "A栋")
B_DORM = ("学生公寓B栋", "B栋")

FRESHMEN = (
    report("fresh_light", "大一新生，一句话带电话", ONE_SENTENCE,
           Facts(("水电",), Place(("5号楼", "5栋"), "312", ("宿舍",)), ("灯",),
                 phone="13912345678", name="李同学", unit="机械学院"),
           ["宿舍5号楼312的灯坏了，电话13912345678"],
           dict(place="5号楼312", what="宿舍的灯坏了，开关按了没反应", contact="李同学 13912345678",
                name="李同学", unit="机械学院", yes="嗯嗯", no_photo="没拍")),
    report("fresh_all", "新生，什么都写在一条里", ONE_SENTENCE,
           Facts(("空调",), Place(("1号楼",), "202"), ("空调", "制冷"),
                 phone="13700001111", name="张伟", unit="外国语学院"),
           ["东校区1号楼202空调不制冷了，我是张伟 13700001111 外国语学院"],
           dict(place="1号楼202", what="空调不制冷", contact="张伟 13700001111",
                unit="外国语学院", yes="对", no_photo="没有")),
    report("fresh_drain", "新生，电话称呼学院一起答", ONE_SENTENCE,
           Facts(("水电",), Place(("3号楼",), "201", ("卫生间",)), ("下水道", "堵"),
                 phone="18612345678", name="陈同学", unit="经济管理学院"),
           ["报修 3号楼201卫生间下水道堵住了，水下不去"],
           dict(place="3号楼201", what="卫生间下水道堵住了", unit="经济管理学院",
                contact="18612345678，陈同学，经济管理学院", yes="好的", no_photo="无")),
    report("fresh_nobx", "新生，不加“报修”，字也打得随意", ONE_SENTENCE,
           Facts(("水电",), Place(("5号楼", "5栋"), "208"), ("热水器", "热水"),
                 phone="15600001111", name="唐晓明", unit="体育学院"),
           ["5栋208热水器坏了没热水 电话15600001111 唐晓明"],
           dict(place="5栋208", what="热水器坏了没热水", contact="唐晓明 15600001111",
                unit="体育学院", yes="好", no_photo="没有")),
    report("fresh_english", "留学生，先打 repair", GUIDED,
           Facts(("网络",), Place(B_DORM, "201"), ("网",), phone="15011112222", name="Tom",
                 unit="国际教育学院"),
           ["repair"],
           dict(category="网络", place="B栋201", what="网口没信号，插网线也连不上",
                contact="Tom 15011112222", unit="国际教育学院", yes="ok", no_photo="没有照片")),
    report("fresh_typo", "大二学生，打成“保修”", GUIDED,
           Facts(("门窗家具",), Place(A_DORM, "102"), ("门",), phone="13598765432",
                 name="刘洋", unit="艺术学院"),
           ["保修"],
           dict(category="阳台门关不上了，锁扣好像歪了", what="阳台门关不上了，锁扣好像歪了",
                place="西校区A栋102", contact="刘洋 13598765432", unit="艺术学院", yes="对",
                no_photo="不用了")),
    report("teacher_trad", "港澳台老师，繁体字，座机", ONE_SENTENCE,
           Facts(("水电",), Place(("第一教学楼",), "A201"), ("灯",), phone="0571-88123456",
                 name="黄老师", unit="化学系"),
           ["報修 第一教學樓A201的燈不亮"],
           dict(place="第一教學樓A201", what="教室的燈不亮", contact="黄老师 0571-88123456",
                unit="化学系", yes="是的", no_photo="沒有")),
    report("menu_label", "点菜单“我要报修”的学生", GUIDED,
           Facts(("水电",), Place(("1号楼",), "102"), ("插座",), phone="13512345678",
                 name="王芳", unit="法学院"),
           ["我要报修"],
           dict(category="#水电", place="1号楼102", what="书桌旁边的插座没电了",
                contact="王芳，13512345678", unit="法学院", yes="确认", no_photo="没有")),
    report("menu_click", "点菜单的老师，拍了一张照片", GUIDED,
           Facts(("门窗家具",), Place(("3号楼",), "101"), ("玻璃", "窗"), phone="13811112222",
                 name="赵老师", unit="后勤处"),
           [MENU + "REPORT"],
           dict(category="门窗家具", place="3号楼 101", what="窗户玻璃裂了一道缝",
                no_photo="就这一张", contact="13811112222 赵老师", unit="后勤处", yes="好"),
           photos=1),
    report("menu_number", "点菜单，按编号选", GUIDED,
           Facts(("门窗家具",), Place(("1号楼",), "201"), ("锁",), phone="13388889999",
                 name="袁同学", unit="化学学院"),
           [MENU + "REPORT"],
           dict(category="#门窗家具", place="1号楼201", what="宿舍门锁坏了，钥匙拧不动",
                contact="13388889999 袁同学", unit="化学学院", yes="好", no_photo="没有")),
    report("no_building", "只报房间号的学生", "sloppy",
           Facts(("门窗家具",), Place(("5号楼", "5栋"), "312"), ("窗",), phone="13145678901",
                 name="石同学", unit="哲学学院"),
           ["报修"],
           dict(category="#门窗家具", place="312", building="5号楼", place_again="5号楼312",
                what="窗户关不严，风呼呼往里灌", contact="石同学 13145678901", unit="哲学学院",
                yes="是", no_photo="没有")),
)

VOICES = (
    report("elder_numerals", "退休老师，语音，数字用中文念", "voice",
           Facts(("水电",), Place(("3号楼",), "301"), ("水龙头", "滴水"), phone="13905712233",
                 name="刘老师", unit="物理系"),
           ["你好，我要报修。"],
           dict(category="厨房水龙头一直在滴水。", what="厨房水龙头一直在滴水。",
                place="三号楼三零一。", contact="我是刘老师，电话一三九零五七一二二三三。",
                phone="一三九零五七一二二三三。", name="刘老师。", unit="物理系。", yes="对的。",
                no_photo="没有照片。", retry=("报修。",)),
           voice=True),
    report("elder_aunt", "住家属楼的阿姨，语音一句话", "voice",
           Facts(("水电",), Place(("1号楼",), "101", ("卫生间",)), ("马桶", "堵"),
                 phone="13812345678", name="孙阿姨", unit="退休办"),
           ["喂，我家卫生间马桶堵了，在一号楼一零一。"],
           dict(place="一号楼一零一。", what="卫生间马桶堵了。", contact="孙阿姨，13812345678。",
                unit="退休办。", yes="好的好的。", no_photo="没有。", retry=("报修。",)),
           voice=True),
)

PHOTOGRAPHERS = (
    report("photo_first", "先发照片再说话的学生", "photo",
           Facts(("水电",), Place(("1号楼",), "201"), ("漏水", "水管"), phone="13698765432",
                 name="周同学", unit="数学学院"),
           [PHOTO, "1号楼201 洗手池下面的水管漏水"],
           dict(place="1号楼201", what="洗手池下面的水管漏水", contact="周同学 13698765432",
                unit="数学学院", yes="ok", no_photo="刚才发过了"),
           photos=1, photo_when="first"),
    report("photo_late", "确认之后才想起发照片", "photo",
           Facts(("门窗家具",), Place(B_DORM, "101"), ("柜",), phone="15900001111",
                 name="郑同学", unit="生命科学学院"),
           ["报修 学生公寓B栋101 衣柜门掉下来了"],
           dict(place="B栋101", what="衣柜门掉下来了", contact="15900001111 郑同学",
                unit="生命科学学院", yes="确认。", no_photo="等下发"),
           photos=1, photo_when="submitted", after=(PHOTO,)),
    report("photo_two", "拍了两张照片的老师", "photo",
           Facts(("空调",), Place(("3号楼",), "201", ("办公室",)), ("空调",),
                 phone="13322223333", name="何老师", unit="马克思主义学院"),
           ["我要报修"],
           dict(category="#空调", place="3号楼201办公室", what="空调外机响得厉害，还往下滴水",
                no_photo="就这两张", contact="何老师 13322223333", unit="马克思主义学院",
                yes="没问题"),
           photos=2),
)
