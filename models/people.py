"""Who uses the bot: WeChat users, their roles, engineers' skills, invite codes."""
from datetime import datetime
from typing import Optional

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from models.catalogue import Department, FaultType, Location
from models.database import BaseModel

# Written out: every first contact runs it, and peewee's query builder costs more than it.
FACTS_SQL = 'SELECT "id", "role", "phone", "name", "unit" FROM "users" WHERE "openid" = {mark}'

REPORTER, ENGINEER, DISPATCHER, SUPERVISOR, LEADER, ADMIN = (
    "reporter", "engineer", "dispatcher", "supervisor", "leader", "admin")
ROLES = (REPORTER, ENGINEER, DISPATCHER, SUPERVISOR, LEADER, ADMIN)


class User(BaseModel):
    """A person known by their WeChat openid; everyone starts as a reporter."""
    openid = CharField(max_length=64, unique=True)
    name = CharField(max_length=64, default="")
    phone = CharField(max_length=32, default="")
    department = ForeignKeyField(Department, null=True, backref="members", on_delete="SET NULL")
    role = CharField(max_length=16, default=REPORTER)
    address = CharField(max_length=200, default="")
    unit = CharField(max_length=100, default="")  # 学院/部门 on a campus, 楼栋房号 on an estate
    subscribed = BooleanField(default=True)
    tagged_role = CharField(max_length=16, default="")  # the role whose WeChat tag the user has
    created_at = DateTimeField()
    unsubscribed_at = DateTimeField(null=True)

    class Meta:
        table_name = "users"  # "user" is reserved in PostgreSQL

    @classmethod
    def facts(cls, openid: str) -> Optional[tuple]:
        """(id, role, phone, name, unit) of the user with `openid`; None for someone new."""
        db = cls._meta.database
        return db.execute_sql(FACTS_SQL.format(mark=db.param), (openid,)).fetchone()

    @classmethod
    def id_for(cls, openid: str, first_seen: datetime) -> int:
        """The id of the user with `openid`, writing their row first when they have none."""
        written = cls.insert(openid=openid, created_at=first_seen).on_conflict_ignore().execute()
        if written and cls._meta.database.returning_clause:  # else an ignored insert's id is stale
            return written
        return cls.select(cls.id).where(cls.openid == openid).scalar()

    @classmethod
    def holding(cls, role: str):
        """Users who follow the account and hold `role` (as their role or a granted one)."""
        granted = RoleAssignment.select(RoleAssignment.user).where(RoleAssignment.role == role)
        return cls.select().where(cls.subscribed, (cls.role == role) | cls.id.in_(granted))


class RoleAssignment(BaseModel):
    """One role a user holds, and the invite that granted it."""
    user = ForeignKeyField(User, backref="roles", on_delete="CASCADE")
    role = CharField(max_length=16)
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    granted_at = DateTimeField()

    class Meta:
        indexes = ((("user", "role"), True),)


class EngineerProfile(BaseModel):
    """What an engineer can fix and where they work."""
    user = ForeignKeyField(User, unique=True, backref="engineer_profile", on_delete="CASCADE")
    active = BooleanField(default=True)
    last_assigned_at = DateTimeField(null=True)
    shift = CharField(max_length=16, default="")  # the shift they work ("" = every shift)


class EngineerSkill(BaseModel):
    """An engineer covers a fault type."""
    engineer = ForeignKeyField(EngineerProfile, backref="skills", on_delete="CASCADE")
    fault_type = ForeignKeyField(FaultType, on_delete="CASCADE")

    class Meta:
        indexes = ((("engineer", "fault_type"), True),)


class EngineerArea(BaseModel):
    """An engineer covers a location and everything under it."""
    engineer = ForeignKeyField(EngineerProfile, backref="areas", on_delete="CASCADE")
    location = ForeignKeyField(Location, on_delete="CASCADE")

    class Meta:
        indexes = ((("engineer", "location"), True),)


class InviteCode(BaseModel):
    """A single-use, expiring code that binds a role with 绑定 <code>."""
    code = CharField(max_length=16, unique=True)
    role = CharField(max_length=16)
    name = CharField(max_length=64, default="")
    phone = CharField(max_length=32, default="")
    skills = CharField(max_length=200, default="")
    areas = CharField(max_length=200, default="")
    shift = CharField(max_length=16, default="")
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    created_at = DateTimeField()
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    used_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    revoked_at = DateTimeField(null=True)  # withdrawn before use: it binds nothing any more
