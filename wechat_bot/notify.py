"""Composing template messages: defaults in templates/notify/<kind>.toml, ids in the config.

Values are rendered and fitted to their keyword's 2023 limits when queued, so the worker only
sends; a value that is too long is cut with an ellipsis, never rejected.
"""
from __future__ import annotations

import logging
import tomllib
from datetime import datetime
from typing import Optional

from models.notifications import Notification, queue_notification
from models.orders import RepairOrder
from models.people import User
from wechat_bot.config import TemplateSettings
from wechat_bot.texts import TEMPLATES_DIR, Texts
from wechat_bot.template_rules import fit

log = logging.getLogger(__name__)
SEPARATOR = "\x1e"  # a character XML 1.0 cannot carry, so no user text contains it
KINDS = ("order_received", "new_job", "accepted", "progress", "completed", "transferred",
         "cancelled", "escalation", "urge", "survey", "handover", "digest", "month_report")


class Notifier:
    """Queues notifications in the caller's transaction; templates compiled once."""

    def __init__(self, templates: dict[str, TemplateSettings], texts: Texts):
        self.texts = texts
        self.kinds = {}
        for kind in KINDS:
            defaults = tomllib.loads((TEMPLATES_DIR / "notify" / f"{kind}.toml").read_text("utf-8"))
            configured = templates.get(kind)
            if configured is None:
                log.warning("no [templates.%s] in the config: %s messages are not sent", kind, kind)
                continue
            fields = {**defaults["fields"], **configured.fields}
            # One template renders every value (one Jinja context instead of one per keyword).
            joined = texts.env.from_string(SEPARATOR.join(fields.values()))
            self.kinds[kind] = (configured, tuple(fields), joined)

    def queue(self, kind: str, recipient: User, order: Optional[RepairOrder], now: datetime,
              **context) -> Optional[Notification]:
        """Write one pending message (None when the kind has no template configured)."""
        if kind not in self.kinds or recipient is None:
            return None
        template, keywords, joined = self.kinds[kind]
        context.update(order=order, now=now, category=_category(order))
        values = joined.render(**context).split(SEPARATOR)
        if len(values) != len(keywords):
            raise ValueError(f"a {kind} value contains the field separator")
        data = {keyword: fit(keyword, value) for keyword, value in zip(keywords, values)}
        return queue_notification(kind, recipient, order, template.template_id, data, now,
                                  url=template.url)


def _category(order: Optional[RepairOrder]) -> str:
    if order is None or order.category_id is None:
        return ""
    return order.category.name
