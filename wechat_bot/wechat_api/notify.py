"""Template messages: defaults in templates/notify/<kind>.toml, ids in the config.

A message is queued with its facts in the transaction of the change it reports; the worker
composes it before the first try (rendered, and fitted to the keywords' 2023 limits: a value
that is too long is cut with an ellipsis, never rejected) and keeps the result for retries.
"""
from __future__ import annotations

import logging
import tomllib
from datetime import datetime
from typing import Optional

from models.notifications import Notification, pending_values, write_pending
from models.orders import RepairOrder
from models.people import User
from wechat_bot.config import TemplateSettings
from wechat_bot.texts import TEMPLATES_DIR, Texts
from wechat_bot.wechat_api.template_rules import fit

log = logging.getLogger(__name__)
SEPARATOR = "\x1e"  # a character XML 1.0 cannot carry, so no user text contains it
KINDS = ("order_received", "new_job", "accepted", "progress", "completed", "transferred",
         "cancelled", "escalation", "urge", "survey", "handover", "digest", "month_report")


class Notifier:
    """Queues notifications in the caller's transaction; the worker composes them later."""

    def __init__(self, templates: dict[str, TemplateSettings], texts: Texts):
        self.texts, self.templates, self.fields = texts, templates, {}
        for kind in KINDS:
            defaults = tomllib.loads((TEMPLATES_DIR / "notify" / f"{kind}.toml").read_text("utf-8"))
            configured = templates.get(kind)
            if configured is None:
                log.warning("no [templates.%s] in the config: %s messages are not sent", kind, kind)
            fields = {**defaults["fields"], **(configured.fields if configured else {})}
            # One template renders every value (one Jinja context instead of one per keyword).
            joined = texts.env.from_string(SEPARATOR.join(fields.values()))
            self.fields[kind] = (tuple(fields), joined)

    def queue(self, kind: str, recipient: User, order: Optional[RepairOrder], now: datetime,
              **context) -> Optional[Notification]:
        """Write one pending message (None when the kind has no template configured)."""
        values = self.pending(kind, recipient, order.status if order else "", now, **context)
        return None if values is None else write_pending(order, values)

    def pending(self, kind: str, recipient: Optional[User], status: str, now: datetime,
                **context) -> Optional[dict]:
        """The fields of a pending message but its order, for whoever writes the order with
        it (None when the kind has no template or the recipient no WeChat).

        Only the facts are stored here (plain values, and the order's status at this moment);
        rendering and fitting the values is the worker's job, off the webhook's path.
        """
        template = self.templates.get(kind)
        # desk: users were entered by the back office from a phone call or visit: no WeChat to reach.
        if template is None or recipient is None or (recipient.openid or "").startswith("desk:"):
            return None
        facts = {key: _plain(value) for key, value in context.items()}
        payload = {"context": facts, "status": status, "url": template.url}
        return pending_values(kind, recipient, template.template_id, payload, now)

    def compose(self, note: Notification) -> dict:
        """The keyword → value map of a queued message, rendered and fitted to the 2023 rules."""
        keywords, joined = self.fields[note.kind]
        content = note.content
        order = note.order if note.order_id else None
        context = {key: _revive(value) for key, value in content["context"].items()}
        context.update(order=order, now=note.created_at, status=content["status"],
                       category=_category(order))
        values = joined.render(**context).split(SEPARATOR)
        if len(values) != len(keywords):
            raise ValueError(f"a {note.kind} value contains the field separator")
        return {keyword: fit(keyword, value) for keyword, value in zip(keywords, values)}


def _plain(value):
    """A context value as JSON can hold it: datetimes tagged, the rest as they are."""
    if isinstance(value, datetime):
        return {"$time": value.isoformat()}
    if not isinstance(value, (str, int, float, type(None))):
        raise TypeError(f"notification context must be plain values, not {type(value).__name__}")
    return value


def _revive(value):
    if isinstance(value, dict) and "$time" in value:
        return datetime.fromisoformat(value["$time"])
    return value


def _category(order: Optional[RepairOrder]) -> str:
    if order is None or order.category_id is None:
        return ""
    return order.category.name
