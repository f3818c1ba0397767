"""What a simulated run leaves for the checks: every turn, desk action, snag and number shown."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from models.statistics import Period


@dataclass(frozen=True)
class Said:
    """One message a simulated person sent (or one form a desk clerk posted) and the answer."""
    at: datetime
    who: str                 # the openid, or the back-office username
    text: str
    reply: str
    order: str = ""          # the order number the person meant, when they meant one


@dataclass(frozen=True)
class Snag:
    """Something a simulated person could not do: an error, no answer, a question not understood."""
    at: datetime
    who: str
    what: str
    order: str = ""


@dataclass(frozen=True)
class Shown:
    """Figures a leader read: when, for which period, where, and the numbers taken off the text."""
    at: datetime
    period: Period
    source: str
    figures: dict


@dataclass(frozen=True)
class Delivery:
    """A template message the emulator delivered, as the recipient's phone shows it."""
    at: datetime
    kind: str                # the notification kind its template id belongs to ('' unknown)
    touser: str
    values: dict             # keyword → value
    client_msg_id: str

    def mentions(self, number: str) -> bool:
        """Whether any value names the order number."""
        return any(number in str(value) for value in self.values.values())


@dataclass
class Journal:
    """Everything recorded during one run, oldest first."""
    said: list[Said] = field(default_factory=list)
    snags: list[Snag] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    def snag(self, at: datetime, who: str, what: str, order: Optional[str] = "") -> None:
        """Note something a person could not do."""
        self.snags.append(Snag(at, who, what, order or ""))
