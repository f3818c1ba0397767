"""Scanning a poster's QR code (SCAN, or subscribe with `qrscene_`): a report starts at its place.

The scene names a location (`loc:<id>`) or a device (`dev:<id>`); one database read turns it
into the place to fill. A scene that is unknown, malformed or deactivated gets a polite line
and the ordinary report start, never an error.
"""
from __future__ import annotations

from typing import Optional

from peewee import JOIN

from handlers import common, reporter
from handlers.report_slots import Place
from handlers.turn import Turn
from models.catalogue import Device, DeviceType, FaultType, Location
from models.scenes import DEVICE, LOCATION, SUBSCRIBE_PREFIX, Scene, scene_of_event


def on_scan(turn: Turn) -> str:
    """SCAN: a follower scanned a poster."""
    return _report_from_scene(turn)


def on_subscribe(turn: Turn) -> str:
    """subscribe: with a poster's scene the welcome, then the report; else the usual welcome."""
    if not turn.msg.event_key.startswith(SUBSCRIBE_PREFIX):
        return common.on_subscribe(turn)
    common.record_subscribed(turn)
    return turn.say("common/welcome") + "\n\n" + _report_from_scene(turn)


def _report_from_scene(turn: Turn) -> str:
    place = scanned_place(scene_of_event(turn.msg.event, turn.msg.event_key))
    open_draft = reporter.has_report_draft(turn)
    if place is None:
        notice = turn.say("reporter/scan_unknown")
        follow = reporter.current_prompt(turn) if open_draft else reporter.start(turn)
        return notice + "\n\n" + follow
    if open_draft:
        return reporter.refill_place(turn, place)
    return reporter.start_at(turn, place)


def scanned_place(scene: Optional[Scene]) -> Optional[Place]:
    """The active place or device a scene names (one query); None when there is none."""
    if scene is None:
        return None
    if scene.kind == LOCATION:
        location = Location.get_or_none(Location.id == scene.id)
        if location is None or not getattr(location, "active", True):
            return None
        return Place(location.id, location.full_name)
    if scene.kind == DEVICE:
        return _device_place(scene.id)
    return None


def _device_place(device_id: int) -> Optional[Place]:
    """The device, its fault type when active, and its location when it stands somewhere active."""
    device = (Device.select(Device, DeviceType, FaultType, Location)
              .join(DeviceType).join(FaultType, JOIN.LEFT_OUTER)
              .switch(Device).join(Location, JOIN.LEFT_OUTER)
              .where(Device.id == device_id).first())
    if device is None or not getattr(device, "active", True):
        return None
    category = _category_of(device.device_type)
    location = device.location if device.location_id is not None else None
    if location is None or not getattr(location, "active", True):
        return Place(None, "", device.id, device_label(device), category)
    return Place(location.id, location.full_name, device.id, device_label(device), category)


def _category_of(kind: DeviceType) -> Optional[dict]:
    """The draft's category fields for a device type's fault type (None if unset or off)."""
    fault = kind.fault_type if kind.fault_type_id is not None else None
    if fault is None or not fault.active:
        return None
    return {"category_id": fault.id, "category_name": fault.name,
            "department_id": fault.department_id, "kind": fault.kind}


def device_label(device: Device) -> str:
    """How people name a device: its type and code (空调 KT-E3-201)."""
    return f"{device.device_type.name} {device.code}"
