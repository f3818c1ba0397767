"""Storing a confirmed report: the phone, name and unit it was given remembered on the user
(written only when they changed), then the order with its timeline, photos and notice, all or
nothing; then ten minutes in which photos still join the order."""
from __future__ import annotations

from datetime import datetime, timedelta

from peewee import IntegrityError

from handlers.turn import Turn
from models.catalogue import FaultType
from models.lifecycle import SUBMITTED
from models.orders import NORMAL, RepairOrder
from models.people import User
from models.workflow import NewOrder, submit_order, submitted_from

PHOTO_WINDOW = timedelta(minutes=10)   # photos sent this soon after 确认 join the order


def _draft_category(draft: dict) -> FaultType:
    """The category as the draft recorded it: no catalogue read on the 确认 turn."""
    return FaultType(id=draft["category_id"], name=draft["category_name"],
                     department=draft.get("department_id"))


def _remember_contact(turn: Turn, draft: dict) -> None:
    """Phone, name and unit given in this report become the user's, written only when changed."""
    changed = {key: draft[key] for key in ("phone", "name", "unit")
               if draft.get(key) and draft[key] != getattr(turn.profile, key)}
    if changed:
        User.update(**changed).where(User.id == turn.profile.id).execute()
        turn.update_profile(**changed)


def submit(turn: Turn) -> str:
    """确认: store the order, queue the reporter's notice, drop the draft; the reply. A draft
    already stored (its 确认 sent again after a stall or a crash) answers with that order."""
    draft = turn.draft
    try:
        order = _store(turn, draft)
    except IntegrityError:   # the draft's key is taken: its first 确认 stored it meanwhile
        order = submitted_from(draft.get("key"))
        if order is None:
            raise
    turn.draft = photo_window(order, turn.now)
    return turn.say("reporter/submitted", order=order, photos=len(draft["photos"]),
                    limit=turn.settings.max_photos)


def _store(turn: Turn, draft: dict) -> RepairOrder:
    """The contact remembered, then the order with its event, photos and notice at once."""
    _remember_contact(turn, draft)
    return submit_order(NewOrder(
        reporter=turn.profile.id, category=_draft_category(draft),
        kind=draft["kind"], location=draft.get("location_id"), location_text=draft["location"],
        description=draft["description"], phone=draft["phone"],
        attachment_ids=tuple(draft["photos"]), device=draft.get("device_id"),
        reporter_name=draft.get("name", ""), reporter_unit=draft.get("unit", ""),
        priority=draft.get("priority", NORMAL), submission_key=draft.get("key")), turn.now,
        turn.notice("order_received", turn.user_ref(), SUBMITTED))


def photo_window(order: RepairOrder, now: datetime) -> dict:
    """The draft kept after 确认 so that photos sent soon after still join the order."""
    return {"flow": "photos_for", "order_id": order.id, "number": order.number,
            "until": (now + PHOTO_WINDOW).isoformat()}
