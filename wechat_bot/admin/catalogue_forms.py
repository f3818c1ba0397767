"""The catalogue's entities, table-driven: their fields, list columns, rules and how one is saved.

One set of views (catalogue.py) and two templates serve all five; what differs lives here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app

from models.catalogue import (KINDS, Department, Device, DeviceType, FaultType, Location,
                              subtree_ids)
from models.invites import rename_in_invites
from models.sla_limits import PRIORITIES, limits_for
from models.sla_overrides import OWN_LIMITS, effective_sla
from wechat_bot.admin.form_fields import (CHOICE, DATE, MINUTES, NUMBER, REF, TEXTAREA, Field)


def _no_problems(row, values: dict) -> list[tuple[str, str]]:
    return []


def _assign(row, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


@dataclass(frozen=True)
class Entity:
    """One kind of catalogue row; `slug` is its part of the URL and its key in the templates."""
    slug: str
    model: type
    fields: tuple[Field, ...]
    columns: tuple[str, ...]                # attributes shown in the list; "active" always last
    unique: tuple[str, ...] = ()            # fields no two rows may share
    sort: tuple[str, ...] = ("name",)       # the list's order (then by id)
    tree: bool = False                      # rows have a parent: listed as a tree
    poster: str = ""                        # endpoint of its QR poster page, once one exists
    check: Callable = _no_problems          # more (field, problem) of (row or None, values)
    save: Callable = _assign                # write values to the row, and what depends on it
    extra: Callable = lambda row: {}        # more facts for the edit page

    def editable(self, creating: bool) -> tuple[Field, ...]:
        """The fields of the form: fixed ones only while the row is being made."""
        return tuple(f for f in self.fields if creating or not f.fixed)

    def order(self) -> tuple:
        """The list's order, as peewee columns."""
        return (*(getattr(self.model, name) for name in self.sort), self.model.id)


def _department_problems(row, values: dict) -> list[tuple[str, str]]:
    parent = values.get("parent")
    if row is not None and parent is not None and parent.id in subtree_ids(Department, row.id):
        return [("parent", "cycle")]
    return []


def _fault_type_problems(row, values: dict) -> list[tuple[str, str]]:
    # [sla.types.<name>] in the config is keyed by name: a rename would silently drop it.
    renamed = row is not None and values["name"] != row.name
    if renamed and row.name in _sla_config().get("types", {}):
        return [("name", "sla_rename")]
    return []


def _fault_type_facts(row) -> dict:
    """The SLA limits that hold for this type, and whether it has its own (here or in the config)."""
    config = effective_sla(_sla_config())
    return {"sla": [(p, limits_for(row.name, p, config)) for p in PRIORITIES],
            "sla_own": row.name in config.get("types", {})}


def _save_fault_type(row: FaultType, values: dict) -> None:
    """Save; a rename is followed in unused invites, which name their skills."""
    old = row.name if row.id is not None else None
    _assign(row, values)
    if old is not None and old != row.name:
        rename_in_invites("skills", {old: row.name})


def _sla_config() -> dict:
    return current_app.extensions["baoxiu"].settings.sla or {}


def _location_problems(row, values: dict) -> list[tuple[str, str]]:
    parent = values["parent"] if row is None else row.parent
    if parent is not None and not parent.child_level():
        return [("parent", "room_child")]
    full_name = _full_name(parent, values["name"])
    if len(full_name) > Location.full_name.max_length:
        return [("name", "too_long")]
    same = Location.select().where(Location.full_name == full_name)
    if row is not None:
        same = same.where(Location.id != row.id)
    return [("name", "taken")] if same.exists() else []


def _save_location(row: Location, values: dict) -> None:
    """Level and full name follow from the parent; a rename reaches the places below and invites."""
    if row.id is None:
        row.parent = values["parent"]
        row.level = row.parent.child_level() if row.parent else "campus"
    old = row.full_name
    row.name = values["name"]
    row.full_name = _full_name(row.parent, row.name)
    row.save()
    if old and old != row.full_name:
        renames = {old: row.full_name}
        _rename_below(row, renames)
        rename_in_invites("areas", renames)


def _rename_below(place: Location, renames: dict[str, str]) -> None:
    for child in Location.select().where(Location.parent == place):
        old, child.full_name = child.full_name, _full_name(place, child.name)
        child.save()
        renames[old] = child.full_name
        _rename_below(child, renames)


def _full_name(parent, name: str) -> str:
    return f"{parent.full_name} {name}" if parent is not None else name


def _device_problems(row, values: dict) -> list[tuple[str, str]]:
    bought, ends = values["purchase_date"], values["warranty_end"]
    return [("warranty_end", "date_order")] if bought and ends and ends < bought else []


NAME = Field("name", required=True, listed=True)
DEPARTMENT = Field("department", REF, ref=Department)

ENTITIES = {e.slug: e for e in (
    Entity("departments", Department,
           (NAME, Field("parent", REF, ref=Department),
            Field("duty_phone", max_len=32, phone=True)),
           ("name", "duty_phone"), unique=("name",), tree=True, check=_department_problems),
    Entity("fault-types", FaultType,
           (Field("name", required=True, max_len=32, listed=True),
            Field("kind", CHOICE, required=True, choices=KINDS),
            Field("keywords", TEXTAREA, max_len=1000),
            Field("urgent_keywords", TEXTAREA, max_len=1000), DEPARTMENT,
            Field("sort_order", NUMBER), *(Field(name, MINUTES) for name in OWN_LIMITS)),
           ("name", "kind", "department", "keywords", "urgent_keywords", "sort_order"),
           unique=("name",),
           sort=("sort_order", "name"), check=_fault_type_problems, save=_save_fault_type,
           extra=_fault_type_facts),
    Entity("locations", Location,
           (NAME, Field("parent", REF, ref=Location, label="full_name", fixed=True)),
           ("name", "level", "full_name"), sort=("full_name",), tree=True,
           poster="admin.location_poster",
           check=_location_problems, save=_save_location),
    Entity("device-types", DeviceType,
           (NAME, Field("fault_type", REF, ref=FaultType)), ("name", "fault_type"),
           unique=("name",)),
    Entity("devices", Device,
           (Field("code", required=True), Field("device_type", REF, required=True, ref=DeviceType),
            Field("model"), Field("vendor"), Field("vendor_phone", max_len=32, phone=True),
            Field("purchase_date", DATE), Field("warranty_end", DATE),
            Field("location", REF, ref=Location, label="full_name")),
           ("code", "device_type", "model", "vendor", "vendor_phone", "warranty_end",
            "location"), unique=("code",), sort=("code",), poster="admin.device_poster",
           check=_device_problems),
)}
