"""Single-use invite codes that give a WeChat user a role (engineer, leader ...)."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Optional

from models.catalogue import Department, FaultType, Location
from models.database import db
from models.people import (ENGINEER, ROLES, EngineerArea, EngineerProfile, EngineerSkill,
                           InviteCode, RoleAssignment, User)

# No 0/O or 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
ACTIVE, USED, EXPIRED, REVOKED = "active", "used", "expired", "revoked"
STATUSES = (ACTIVE, USED, EXPIRED, REVOKED)


def new_code() -> str:
    """A random code from the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def create_invite(role: str, now: datetime, days: int, name: str = "", phone: str = "",
                  skills: str = "", areas: str = "", department: str | Department = "",
                  shift: str = "") -> InviteCode:
    """Store a new invite; names of skills, areas and department must exist in the catalogue.

    `department` is a name (the CLI) or the row itself (the back office picks it from a list).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    _check_names(FaultType, skills, "fault type")
    _check_names(Location, areas, "location", field="full_name")
    dept = _department(department)
    return InviteCode.create(code=new_code(), role=role, name=name, phone=phone, skills=skills,
                             areas=areas, department=dept, shift=shift, created_at=now,
                             expires_at=now + timedelta(days=days))


def redeem_invite(code: str, user: User, now: datetime) -> Optional[InviteCode]:
    """Bind the invite's role to `user`; None when the code is unknown, used or expired."""
    code = code.strip().upper()
    with db.atomic():
        claimed = InviteCode.update(used_at=now, used_by=user).where(
            InviteCode.code == code, InviteCode.used_at.is_null(),
            InviteCode.revoked_at.is_null(), InviteCode.expires_at > now).execute()
        if claimed != 1:
            return None
        invite = InviteCode.get(InviteCode.code == code)
        _grant(invite, user, now)
    return invite


def revoke_invite(invite_id: int, now: datetime) -> bool:
    """Withdraw an unused, unexpired invite; False when it was used, expired or revoked first."""
    return InviteCode.update(revoked_at=now).where(
        InviteCode.id == invite_id, InviteCode.used_at.is_null(),
        InviteCode.revoked_at.is_null(), InviteCode.expires_at > now).execute() == 1


def invite_status(invite: InviteCode, now: datetime) -> str:
    """ACTIVE, USED, EXPIRED or REVOKED: what binding it now would do."""
    if invite.used_at is not None:
        return USED
    if invite.revoked_at is not None:
        return REVOKED
    return ACTIVE if invite.expires_at > now else EXPIRED


def status_filter(status: str, now: datetime):
    """The where-clause that selects invites in `status` (see invite_status)."""
    unused = InviteCode.used_at.is_null() & InviteCode.revoked_at.is_null()
    return {USED: InviteCode.used_at.is_null(False),
            REVOKED: InviteCode.used_at.is_null() & InviteCode.revoked_at.is_null(False),
            ACTIVE: unused & (InviteCode.expires_at > now),
            EXPIRED: unused & (InviteCode.expires_at <= now)}[status]


def rename_in_invites(field: str, renames: dict[str, str]) -> int:
    """Follow catalogue renames in `field` ("skills" or "areas") of unused invites; how many."""
    # Invites keep names, not ids (the CLI types them): unfollowed, a renamed fault type or
    # place would be skipped without a word when the code is bound.
    column, changed = getattr(InviteCode, field), 0
    for invite in InviteCode.select().where(InviteCode.used_at.is_null(), column != ""):
        names = _split(getattr(invite, field))
        renamed = ",".join(renames.get(name, name) for name in names)
        if renamed != ",".join(names) and len(renamed) <= column.max_length:
            InviteCode.update({column: renamed}).where(InviteCode.id == invite.id).execute()
            changed += 1
    return changed


def _grant(invite: InviteCode, user: User, now: datetime) -> None:
    user.role = invite.role
    user.name = invite.name or user.name
    user.phone = invite.phone or user.phone
    user.department = invite.department or user.department
    user.save()
    RoleAssignment.insert(user=user, role=invite.role, department=invite.department,
                          granted_at=now).on_conflict_ignore().execute()
    if invite.role == ENGINEER:
        _make_engineer(user, invite)


def _make_engineer(user: User, invite: InviteCode) -> None:
    profile, _ = EngineerProfile.get_or_create(user=user)
    if invite.shift != profile.shift:
        profile.shift = invite.shift
        profile.save()
    for fault in FaultType.select().where(FaultType.name.in_(_split(invite.skills))):
        EngineerSkill.insert(engineer=profile, fault_type=fault).on_conflict_ignore().execute()
    for place in Location.select().where(Location.full_name.in_(_split(invite.areas))):
        EngineerArea.insert(engineer=profile, location=place).on_conflict_ignore().execute()


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.replace("，", ",").split(",") if n.strip()]


def _check_names(model, names: str, what: str, field: str = "name") -> None:
    wanted = _split(names)
    column = getattr(model, field)
    found = {getattr(row, field) for row in model.select(column).where(column.in_(wanted))}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValueError(f"unknown {what}: {', '.join(missing)}")


def _department(name: str | Department) -> Optional[Department]:
    if isinstance(name, Department) or not name:
        return name or None
    dept = Department.get_or_none(Department.name == name)
    if dept is None:
        raise ValueError(f"unknown department: {name}")
    return dept
