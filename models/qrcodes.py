"""Parameter QR codes created with WeChat, one per scene, kept so a poster is reprinted for free.

Permanent codes are limited (100,000 per account) and never expire, so each scene is
created once and its ticket and url are stored here.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from peewee import CharField, DateTimeField

from models.database import BaseModel


class QrCode(BaseModel):
    """The permanent QR code of one scene (`loc:12`, `dev:3`): WeChat's ticket and url."""
    scene = CharField(max_length=64, unique=True)
    ticket = CharField(max_length=255)
    url = CharField(max_length=255)  # what the code encodes; drawn locally, never fetched
    created_at = DateTimeField()

    @classmethod
    def for_scene(cls, scene: str) -> Optional["QrCode"]:
        """The stored code of `scene`, or None when it was never created."""
        return cls.get_or_none(cls.scene == scene)

    @classmethod
    def remember(cls, scene: str, ticket: str, url: str, now: datetime) -> "QrCode":
        """Store a new code; if another request stored one meanwhile, that one wins."""
        cls.insert(scene=scene, ticket=ticket, url=url, created_at=now) \
            .on_conflict_ignore().execute()
        return cls.get(cls.scene == scene)
