"""Back-office accounts (username and password) and the audit log of what they change."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegrityError,
                    TextField)
from werkzeug.security import check_password_hash, generate_password_hash

from models.database import BaseModel, db
from models.people import ADMIN, DISPATCHER, LEADER, SUPERVISOR, User

STAFF_ROLES = (DISPATCHER, SUPERVISOR, LEADER, ADMIN)
# Who does the desk's work on orders (phone entry, dispatch, every order action): the front
# desk, supervisors, and the admin, who is often the first and only account.
DESK_ROLES = (DISPATCHER, SUPERVISOR, ADMIN)
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{2,31}")
MIN_PASSWORD, MAX_PASSWORD = 8, 128

# What each problem code means, for the CLI; the web pages say it in Chinese (templates/admin/).
PROBLEMS = {
    "username_format": "username must be 3-32 characters: a-z, 0-9, '_', '.', '-'",
    "username_taken": "username already exists",
    "display_name": "display name must be 1-64 characters",
    "role": f"role must be one of {', '.join(STAFF_ROLES)}",
    "password_length": f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters",
}


class StaffError(ValueError):
    """An account cannot be made; `codes` are keys of PROBLEMS."""

    def __init__(self, codes: list[str]):
        super().__init__("; ".join(PROBLEMS[code] for code in codes))
        self.codes = codes


class StaffAccount(BaseModel):
    """A person who logs in to the back office; `user` links their WeChat users row, if any."""
    username = CharField(max_length=32, unique=True)
    password_hash = CharField(max_length=256)
    display_name = CharField(max_length=64)
    role = CharField(max_length=16)
    active = BooleanField(default=True)
    created_at = DateTimeField()
    last_login_at = DateTimeField(null=True)
    # Their WeChat users row: the actor of the OrderEvent rows their web actions write.
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash (werkzeug's default), never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class AuditLog(BaseModel):
    """One change made in the back office (or by the CLI): who, what, to what, when."""
    staff = ForeignKeyField(StaffAccount, null=True, backref="audit", on_delete="SET NULL")
    actor = CharField(max_length=64)  # text, so the row outlives the account; "cli" for run.py
    action = CharField(max_length=32)
    target = CharField(max_length=100, default="")
    detail = TextField(default="")
    at = DateTimeField(index=True)


def normalize_username(username: str) -> str:
    """Usernames compare case-insensitively and without surrounding spaces."""
    return (username or "").strip().lower()


def audit(staff: Optional[StaffAccount], action: str, target: str, detail: str,
          now: datetime) -> AuditLog:
    """Write one audit row; `staff` None means the command line."""
    return AuditLog.create(staff=staff, actor=staff.username if staff else "cli", action=action,
                           target=target, detail=detail, at=now)


def staff_problems(username: str, display_name: str, role: str, password: str) -> list[str]:
    """Problem codes of a new account's fields (empty when it can be made)."""
    problems = []
    if not USERNAME_RE.fullmatch(username):
        problems.append("username_format")
    elif StaffAccount.select().where(StaffAccount.username == username).exists():
        problems.append("username_taken")
    if not 1 <= len(display_name.strip()) <= 64:
        problems.append("display_name")
    if role not in STAFF_ROLES:
        problems.append("role")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        problems.append("password_length")
    return problems


def create_staff(username: str, password: str, role: str, display_name: str, now: datetime,
                 by: Optional[StaffAccount] = None) -> StaffAccount:
    """Make an account and its audit row in one transaction; StaffError names the problems."""
    username = normalize_username(username)
    problems = staff_problems(username, display_name, role, password)
    if problems:
        raise StaffError(problems)
    account = StaffAccount(username=username, display_name=display_name.strip(), role=role,
                           created_at=now)
    account.set_password(password)
    try:
        with db.atomic():
            account.save()
            audit(by, "staff.create", f"staff:{username}", f"role={role}", now)
    except IntegrityError:  # the same username made at the same moment by someone else
        raise StaffError(["username_taken"]) from None
    return account
