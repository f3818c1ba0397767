"""A realistic demo catalogue: departments, fault types with keywords, buildings, devices."""
from datetime import date

from models.catalogue import MATTER, REPAIR, Department, Device, DeviceType, FaultType, Location
from models.database import db

DEPARTMENTS = {"后勤服务中心": ["工程部", "秩序部", "客服部", "信息中心"]}

# (name, kind, handling department, keywords, urgent keywords). Gas is 水电's: the engineers
# who close water and power valves close the gas valve too (水电气).
FAULT_TYPES = [
    ("水电", REPAIR, "工程部",
     "漏水,水龙头,水管,跳闸,停电,没电,插座,开关,灯,灯管,下水道,堵,马桶,热水,燃气,煤气,天然气,"
     "跑水,爆管,漏电,热水器,停水,没水,水压,断电,电灯,渗水,吊顶,插线板,leak,light,lights,power,"
     "socket,toilet,tap",
     "跑水,爆管,水管爆了,水管裂了,水漫,淹了,全是水,到处是水,满地是水,漏电,触电,冒烟,着火,起火,"
     "冒火花,火花,冒火,烧焦味,焦味,燃气味,煤气味,天然气味,燃气泄漏,煤气泄漏,漏气"),
    ("门窗家具", REPAIR, "工程部", "门,窗,锁,钥匙,玻璃,柜,桌,椅,床,抽屉,合页,纱窗", ""),
    ("空调", REPAIR, "工程部", "空调,制冷,制热,不凉,不热,遥控器,外机,滴水,AC,aircon,air conditioner",
     "空调冒烟,空调着火,空调起火"),
    ("网络", REPAIR, "信息中心", "网络,网口,网线,断网,宽带,wifi,WiFi,无线,网速,校园网,路由器,网,没网,"
     "上不了网,信号,internet,network", ""),
    ("公共设施", REPAIR, "工程部", "电梯,路灯,楼道,消防,监控,门禁,井盖,道路,垃圾桶",
     "电梯困人,困在电梯,被困电梯,电梯关人,关在电梯,卡在电梯,电梯卡人,电梯里关了,电梯里有人出不来,"
     "关了个人,困住了"),
    ("其他", REPAIR, "工程部", "", ""),
    ("安全隐患", MATTER, "秩序部", "隐患,可疑,安全,消防通道,占道", "着火,起火,冒烟,燃气味,煤气味"),
    ("失物报失", MATTER, "秩序部", "丢失,丢了,失物,被盗,偷", ""),
    ("入住装修", MATTER, "客服部", "装修,入住,搬家,钥匙交接", ""),
]

CAMPUSES = {
    "东校区": {"1号楼": ["101", "102", "201", "202"], "3号楼": ["101", "201", "301"],
              "第一教学楼": ["A101", "A201"], "图书馆": []},
    "西校区": {"学生公寓A栋": ["101", "102", "201"], "学生公寓B栋": ["101", "201"],
              "体育馆": []},
}

DEVICES = [  # (code, type, fault type, location, model, vendor, vendor phone, warranty end)
    ("KT-E3-201", "空调", "空调", "东校区 3号楼 201", "KFR-35GW", "格力售后", "4008365315",
     date(2027, 6, 30)),
    ("DT-LIB-01", "电梯", "公共设施", "东校区 图书馆", "GeN2", "奥的斯维保", "4008876666",
     date(2025, 12, 31)),
]


def seed_demo() -> bool:
    """Load the demo catalogue once; False when a catalogue is already there."""
    if FaultType.select().exists():
        return False
    with db.atomic():
        departments = _departments()
        fault_types = _fault_types(departments)
        locations = _locations()
        _devices(fault_types, locations)
    return True


def _departments() -> dict[str, Department]:
    made = {}
    for root, children in DEPARTMENTS.items():
        made[root] = Department.create(name=root)
        for child in children:
            made[child] = Department.create(name=child, parent=made[root])
    return made


def _fault_types(departments) -> dict[str, FaultType]:
    return {name: FaultType.create(name=name, kind=kind, department=departments[dept],
                                   keywords=keywords, urgent_keywords=urgent, sort_order=i)
            for i, (name, kind, dept, keywords, urgent) in enumerate(FAULT_TYPES)}


def _locations() -> dict[str, Location]:
    made = {}
    for campus, buildings in CAMPUSES.items():
        top = made[campus] = Location.create(name=campus, level="campus", full_name=campus)
        for building, rooms in buildings.items():
            b_name = f"{campus} {building}"
            made[b_name] = Location.create(name=building, parent=top, full_name=b_name)
            for room in rooms:
                r_name = f"{b_name} {room}"
                made[r_name] = Location.create(name=room, parent=made[b_name], level="room",
                                               full_name=r_name)
    return made


def _devices(fault_types, locations) -> None:
    for code, type_name, fault, place, model, vendor, phone, warranty in DEVICES:
        dtype, _ = DeviceType.get_or_create(name=type_name, fault_type=fault_types[fault])
        Device.create(code=code, device_type=dtype, location=locations[place], model=model,
                      vendor=vendor, vendor_phone=phone, warranty_end=warranty)
