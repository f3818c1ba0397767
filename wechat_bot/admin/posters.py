"""Printable QR code posters: scanning one in WeChat starts a report at that place or device.

Each scene (`loc:<id>`, `dev:<id>`) gets one permanent parameter QR code from WeChat the first
time its poster is opened; the ticket and url are stored (models/qrcodes.py), so reprinting
never calls WeChat again. The code is drawn here as inline SVG from the url (segno), not
downloaded. When WeChat fails, the page says so in Chinese and offers a retry (never a 500).
"""
from __future__ import annotations

import logging

import segno
from flask import abort, current_app, render_template, request
from markupsafe import Markup
from peewee import JOIN

from handlers.scan import device_label
from models.catalogue import Device, DeviceType, Location
from models.qrcodes import QrCode
from models.scenes import device_scene, location_scene
from models.staff import DESK_ROLES, audit
from wechat_bot.admin import bp
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.admin.printing import letterhead
from wechat_bot.wechat_api.gateway import PermanentError, WechatError

log = logging.getLogger(__name__)
SIZES = ("a4", "a5")  # paper of a poster; A4 unless ?size=a5
MAX_LABELS = 300      # rooms on one sheet: more would be slow to create and to print
# Codes created with WeChat per view of a sheet, so a big building never outlasts the web
# server's request timeout; a reload creates the next batch.
MAX_NEW_PER_VIEW = 40
# The desk prints too: a code is created once per place, so opening a poster costs nothing.
POSTER_ROLES = DESK_ROLES


class PosterUnavailable(Exception):
    """WeChat could not create a code; `permanent` when retrying will not help."""

    def __init__(self, error: WechatError):
        super().__init__(str(error))
        self.errcode, self.permanent = error.errcode, isinstance(error, PermanentError)


@bp.errorhandler(PosterUnavailable)
def _poster_unavailable(exc: PosterUnavailable):
    return render_template("admin/posters/failed.html", errcode=exc.errcode,
                           permanent=exc.permanent, retry=_here()), 503


@bp.get("/posters/location/<int:location_id>")
@requires(*POSTER_ROLES)
def location_poster(location_id: int):
    """The poster of a place: its name, a large QR code and how to report."""
    location = _active(Location.get_or_none(Location.id == location_id))
    code = qrcode_for(location_scene(location.id))
    return _poster(title=location.full_name, subtitle="", code=code)


@bp.get("/posters/device/<int:device_id>")
@requires(*POSTER_ROLES)
def device_poster(device_id: int):
    """The poster stuck on a device: its type and code, where it stands, a large QR code."""
    device = _active(Device.select(Device, DeviceType, Location)
                     .join(DeviceType).switch(Device).join(Location, JOIN.LEFT_OUTER)
                     .where(Device.id == device_id).first())
    where = device.location.full_name if device.location_id is not None else ""
    code = qrcode_for(device_scene(device.id))
    return _poster(title=device_label(device), subtitle=where, code=code)


@bp.get("/posters/location/<int:location_id>/rooms")
@requires(*POSTER_ROLES)
def location_rooms_sheet(location_id: int):
    """Small labels for every active place under one location (the rooms of a building)."""
    parent = _active(Location.get_or_none(Location.id == location_id))
    rooms = list(Location.select().where(Location.parent == parent.id, Location.active)
                 .order_by(Location.full_name, Location.id).limit(MAX_LABELS + 1))
    codes = _codes([location_scene(room.id) for room in rooms[:MAX_LABELS]])
    labels = [(room, qr_svg(codes[location_scene(room.id)].url)) for room in rooms
              if location_scene(room.id) in codes]
    return render_template("admin/posters/rooms.html", parent=parent, labels=labels,
                           pending=min(len(rooms), MAX_LABELS) - len(labels),
                           more=len(rooms) > MAX_LABELS, limit=MAX_LABELS)


def qrcode_for(scene: str) -> QrCode:
    """The stored code of `scene`, created with WeChat (and audited) the first time only."""
    code = QrCode.for_scene(scene)
    if code is not None:
        return code
    try:
        created = _gateway().create_scene_qrcode(scene)
    except WechatError as exc:
        log.warning("qrcode/create failed for %s: %s", scene, exc)
        raise PosterUnavailable(exc) from None
    now = current_app.extensions["baoxiu"].clock.now()
    code = QrCode.remember(scene, created["ticket"], created["url"], now)
    audit(current_staff(), "poster.qrcode", f"scene:{scene}", code.url[:200], now)
    return code


def _codes(scenes: list[str]) -> dict:
    """The stored codes of `scenes` (one query), plus up to MAX_NEW_PER_VIEW created now."""
    codes = {code.scene: code for code in QrCode.select().where(QrCode.scene.in_(scenes))}
    for scene in [scene for scene in scenes if scene not in codes][:MAX_NEW_PER_VIEW]:
        codes[scene] = qrcode_for(scene)
    return codes


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG, sized by the stylesheet (segno draws no text)."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        omitsize=True, border=4, svgclass="qr", lineclass="qr-line")
    return Markup(svg)  # noqa: S704 - made by segno from a URL, no user text inside


def _poster(title: str, subtitle: str, code: QrCode):
    size = request.args.get("size", "a4") if request.args.get("size") in SIZES else "a4"
    return render_template("admin/posters/poster.html", title=title, subtitle=subtitle,
                           svg=qr_svg(code.url), scene=code.scene, size=size, sizes=SIZES,
                           **letterhead())


def _active(row):
    """The row, or 404 when it does not exist or was deactivated (its code would not work)."""
    if row is None or not getattr(row, "active", True):
        abort(404)
    return row


def _gateway():
    """One WeChat client per app, made on first use (the web process rarely needs one)."""
    extensions = current_app.extensions
    if "wechat_gateway" not in extensions:
        from wechat_bot.wechat_api.gateway import make_gateway  # the worker's config rules, not a copy
        bot = extensions["baoxiu"]
        extensions["wechat_gateway"] = make_gateway(bot.settings, bot.redis)
    return extensions["wechat_gateway"]


def _here() -> str:
    return request.full_path if request.query_string else request.path
