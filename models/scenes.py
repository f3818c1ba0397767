"""Parameter QR code scenes: `loc:<location id>` and `dev:<device id>`, formatted and parsed.

A scene string is what WeChat hands back when someone scans a poster (SCAN: EventKey is the
scene; subscribe: EventKey is `qrscene_` + the scene). Pure: no database, no WeChat.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

LOCATION, DEVICE = "loc", "dev"
SUBSCRIBE_PREFIX = "qrscene_"
# An id of 1–12 digits without a leading zero: fits WeChat's 64-character scene with room.
SCENE = re.compile(r"(loc|dev):([1-9][0-9]{0,11})")


@dataclass(frozen=True)
class Scene:
    """A place or a device a poster stands for."""
    kind: str    # LOCATION or DEVICE
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def location_scene(location_id: int) -> str:
    """The scene string of a location's poster."""
    return str(Scene(LOCATION, _checked(location_id)))


def device_scene(device_id: int) -> str:
    """The scene string of a device's poster."""
    return str(Scene(DEVICE, _checked(device_id)))


def parse_scene(text: Optional[str]) -> Optional[Scene]:
    """The scene a string names; None for anything unknown or malformed."""
    if not isinstance(text, str):
        return None
    match = SCENE.fullmatch(text)
    return Scene(match.group(1), int(match.group(2))) if match else None


def scene_of_event(event: str, event_key: str) -> Optional[Scene]:
    """The scene of a SCAN or subscribe event (subscribe keys carry `qrscene_`); else None."""
    if event == "SCAN":
        return parse_scene(event_key)
    if event == "subscribe" and event_key.startswith(SUBSCRIBE_PREFIX):
        return parse_scene(event_key[len(SUBSCRIBE_PREFIX):])
    return None


def _checked(ident: int) -> int:
    if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident < 10 ** 12:
        raise ValueError(f"a scene id must be a positive integer, got {ident!r}")
    return ident
