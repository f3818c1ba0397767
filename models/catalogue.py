"""What can break and where: departments, fault types, locations, devices."""
import re
from functools import lru_cache

from peewee import (BooleanField, CharField, DateField, ForeignKeyField, IntegerField,
                    TextField)

from models.database import BaseModel

REPAIR = "repair"   # 报修: something is broken
MATTER = "matter"   # 报事: security, loss, move-in, decoration
KINDS = (REPAIR, MATTER)
LEVELS = ("campus", "building", "room")  # campus or estate → building → room


def subtree_ids(model, root_id: int) -> list[int]:
    """`root_id` and the ids of every row below it in a tree of `model` (via `parent`)."""
    found, frontier = [root_id], [root_id]
    while frontier:
        frontier = [row_id for (row_id,) in model.select(model.id)
                    .where(model.parent.in_(frontier)).tuples()]
        found.extend(frontier)
    return found


def tree_order(rows: list) -> list[tuple[object, int]]:
    """(row, depth) with each row followed by its children, siblings in the order given."""
    ids = {row.id for row in rows}
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in ids else None, []).append(row)
    ordered, stack = [], [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        ordered.append((row, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(row.id, [])))
    return ordered


def word_list(text: str) -> list[str]:
    """Words separated by commas (ASCII, full-width, 、) or lines, as a list, blanks dropped."""
    return list(_words(text or ""))


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    """word_list's split, once per distinct text (the chat reads keywords on every turn)."""
    return tuple(w.strip() for w in re.split(r"[,，、\n]", text) if w.strip())


class Department(BaseModel):
    """A unit of the school or the property company; departments form a tree."""
    name = CharField(max_length=64)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    duty_phone = CharField(max_length=32, default="")
    active = BooleanField(default=True)


class FaultType(BaseModel):
    """A category a reporter picks (水电, 空调 ...); keywords let free text find it."""
    name = CharField(max_length=32, unique=True)
    kind = CharField(max_length=8, default=REPAIR)
    keywords = TextField(default="")
    # Words that make a report urgent (跑水, 漏电, 电梯困人): no optional questions, a safety
    # line, the urgent SLA and the supervisors told at once (handlers/emergency.py).
    urgent_keywords = TextField(default="")
    department = ForeignKeyField(Department, null=True, backref="fault_types",
                                 on_delete="SET NULL")
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)
    # The type's own SLA set in the back office (empty: [sla.types.<name>] or [sla] holds).
    accept_minutes = IntegerField(null=True)
    arrive_minutes = IntegerField(null=True)
    complete_minutes = IntegerField(null=True)

    @property
    def keyword_list(self) -> list[str]:
        """Keywords as a list, whitespace and empty entries dropped."""
        return word_list(self.keywords)

    @property
    def urgent_keyword_list(self) -> list[str]:
        """Urgent keywords as a list, as keyword_list reads keywords."""
        return word_list(self.urgent_keywords)

    @classmethod
    def menu(cls, kind: str = REPAIR) -> list["FaultType"]:
        """Active types of one kind in the order reporters see them."""
        return list(cls.select().where(cls.active, cls.kind == kind)
                    .order_by(cls.sort_order, cls.id))


class Location(BaseModel):
    """Campus or estate → building → room; `full_name` is what people type and read."""
    name = CharField(max_length=64)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    level = CharField(max_length=16, default="building")  # campus | building | room
    full_name = CharField(max_length=200, index=True)
    active = BooleanField(default=True)

    def child_level(self) -> str:
        """The level of a place made under this one ("" when rooms take no children)."""
        return LEVELS[LEVELS.index(self.level) + 1] if self.level in LEVELS[:-1] else ""


class DeviceType(BaseModel):
    """A kind of equipment (空调, 电梯, 投影仪)."""
    name = CharField(max_length=64, unique=True)
    fault_type = ForeignKeyField(FaultType, null=True, on_delete="SET NULL")
    active = BooleanField(default=True)


class Device(BaseModel):
    """One piece of equipment, with who to call while it is under warranty."""
    code = CharField(max_length=64, unique=True)
    device_type = ForeignKeyField(DeviceType, backref="devices")
    location = ForeignKeyField(Location, null=True, backref="devices", on_delete="SET NULL")
    model = CharField(max_length=64, default="")
    vendor = CharField(max_length=64, default="")
    vendor_phone = CharField(max_length=32, default="")
    purchase_date = DateField(null=True)
    warranty_end = DateField(null=True)
    active = BooleanField(default=True)
