"""Who lives in the simulated world: staff who join in chat with invite codes (engineers per
shift, duty officers for matters, supervisors, a leader), the desk, and the reporters, whose
reports for each day are drawn at random (seeded) over the hours of the day."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from models.catalogue import Device, DeviceType, FaultType, Location
from models.invites import create_invite
from models.scenes import device_scene, location_scene
from models.shifts import plan_from_config
from wechat_bot.cli.simulation.desk import Desk, Leader
from wechat_bot.cli.simulation.engineers import Engineer
from wechat_bot.cli.simulation.reporters import Reporter, plan_report

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
REPAIR_SKILLS = "水电,门窗家具,空调,网络,公共设施,其他"
FAULTS = {"水电": ("卫生间水龙头一直滴水", "宿舍插座没电了", "下水道堵了", "热水器不出热水"),
          "门窗家具": ("宿舍门锁坏了打不开", "窗户关不上", "柜子合页掉了"),
          "空调": ("空调不制冷", "空调外机噪音很大", "空调遥控器失灵"),
          "网络": ("宿舍网口没有网络", "校园网经常断网", "无线wifi连不上"),
          "公共设施": ("电梯按钮失灵", "路灯不亮", "门禁刷卡没反应")}
MATTERS = {"安全隐患": ("楼道消防通道被杂物占道",), "失物报失": ("在图书馆丢了一个黑色钱包",),
           "入住装修": ("下周入住，需要办理钥匙交接",)}
PLACES = ("东校区 3号楼 201", "东校区 1号楼 102", "西校区 学生公寓A栋 101",
          "东校区 第一教学楼 A201", "西校区 学生公寓B栋 201")
TYPED = ("3号楼201", "1号楼202", "学生公寓A栋102", "第一教学楼A101", "图书馆二楼东侧", "体育馆")
# Reports per hour of the day: quiet at night, busy in the morning and the afternoon.
HOURLY = (1, .5, .3, .3, .3, .5, 1, 3, 6, 8, 8, 7, 5, 6, 7, 7, 6, 5, 4, 4, 3, 3, 2, 1.5)
SHIFT_NAMES = {"day": "白班", "night": "夜班"}
UNITS = ("计算机学院", "外国语学院", "机械工程学院", "图书馆", "后勤处", "学生处")
WAYS = {"guided": 45, "one_shot": 35, "poster": 12, "matter": 8}


class Cast:
    """Hires everyone at the start and plans each day's reports."""

    def __init__(self, world):
        self.world, self.rng = world, world.rng
        self.hired = 0
        self.reporters: list[Reporter] = []
        self.desk = world.desk = Desk(world)
        self.leader = Leader(world, "o_sim_leader_0001")

    def hire(self) -> None:
        """Staff join by invite code in chat; reporters are only people with phones."""
        shifts = [shift.name for shift in plan_from_config(self.world.settings.shifts).shifts]
        team = [self._engineer(shift, n) for shift in shifts
                for n in range(self.world.engineers_on(shift))]
        for engineer in self.rng.sample(team, round(self.world.spec.no_shows * len(team))):
            engineer.no_show = True
        for shift in shifts:
            self._duty(shift, "秩序部")
        self._duty(shifts[0], "客服部")  # move-ins (入住装修): the first shift only
        for n in range(self.world.spec.supervisors):
            self._bind(f"o_sim_supervisor_{n:04d}", "supervisor", None, name=f"{SURNAMES[n]}主管",
                       department="工程部")
        self._bind(self.leader.phone.openid, "leader", None, name="周主任")
        self.reporters = [Reporter(self.world, f"o_sim_reporter_{n:04d}",
                                   f"{SURNAMES[n % len(SURNAMES)]}同学", f"139{n:08d}",
                                   UNITS[n % len(UNITS)])
                          for n in range(max(10, 3 * self.world.spec.reporters))]
        self.desk.look_at_vendor_orders()
        self.desk.look_at_the_queue()

    def _engineer(self, shift: str, n: int) -> Engineer:
        """A repair engineer of `shift` covering every trade, at home on one campus."""
        self.hired += 1
        name = f"{SURNAMES[self.hired % len(SURNAMES)]}师傅" + "'" * (self.hired // len(SURNAMES))
        engineer = Engineer(self.world, f"o_sim_engineer_{self.hired:04d}", name)
        self._bind(engineer.phone.openid, "engineer", engineer, name=name,
                   phone=f"137{self.hired:08d}", skills=REPAIR_SKILLS,
                   areas=("东校区", "西校区")[n % 2], department="工程部", shift=shift)
        return engineer

    def _duty(self, shift: str, department: str) -> Engineer:
        """The duty officer of a department, who takes its matters (报事) during `shift`."""
        self.hired += 1
        name = f"{department}值班({SHIFT_NAMES.get(shift, shift)})"
        officer = Engineer(self.world, f"o_sim_duty_{self.hired:04d}", name)
        self._bind(officer.phone.openid, "engineer", officer, name=name,
                   phone=f"136{self.hired:08d}", department=department, shift=shift)
        return officer

    def _bind(self, openid: str, role: str, actor, **invite) -> None:
        code = create_invite(role, self.world.clock.now(), 7, **invite).code
        phone = actor.phone if actor else self.world.phone(openid)
        if "绑定成功" not in phone.say(f"绑定 {code}"):
            self.world.journal.snag(self.world.clock.now(), openid, f"could not bind as {role}")

    def plan_day(self, day: date) -> None:
        """The day's reports at random times, by whom and how; the leader's looks at 统计."""
        self.leader.plan_day(day)
        for hour in self.rng.choices(range(24), HOURLY, k=self.world.spec.reporters):
            when = datetime.combine(day, time(hour)) + timedelta(seconds=self.rng.randrange(3600))
            person, plan = self.rng.choice(self.reporters), self._plan()
            if when >= self.world.clock.now():  # a run starting at 06:00 skips the night
                self.world.at(when, lambda person=person, plan=plan: person.report(plan))

    def _plan(self):
        rng = self.rng
        way = rng.choices(list(WAYS), list(WAYS.values()))[0]
        if way == "matter":
            fault = rng.choice(list(MATTERS))
            return plan_report(rng, way, fault, rng.choice(MATTERS[fault]), rng.choice(TYPED))
        if way == "poster":
            return self._poster_plan()
        fault = rng.choice(list(FAULTS))
        place = rng.choice(TYPED if way == "one_shot" else PLACES + TYPED)
        return plan_report(rng, way, fault, rng.choice(FAULTS[fault]), place)

    def _poster_plan(self):
        """Half the posters hang on devices (an air conditioner under warranty, a lift)."""
        rng = self.rng
        devices = list(Device.select(Device.id, FaultType.name).join(DeviceType).join(FaultType)
                       .tuples())
        if devices and rng.random() < 0.5:
            device_id, fault = rng.choice(devices)
            return plan_report(rng, "poster", fault, rng.choice(FAULTS.get(fault, ("坏了",))),
                               "", device_scene(device_id))
        rooms = list(Location.select(Location.id).where(Location.level == "room").tuples())
        fault = rng.choice(list(FAULTS))
        return plan_report(rng, "poster", fault, rng.choice(FAULTS[fault]), "",
                           location_scene(rng.choice(rooms)[0]))
