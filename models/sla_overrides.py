"""The fault types' own SLA limits, edited in the back office, laid over the [sla] settings.

Every reader of SLA limits (the clock's jobs, the order pages, statistics, the chat) goes
through effective_sla(), so an edit takes effect at the next read in every process.
"""
from __future__ import annotations

from typing import Optional

from models.catalogue import FaultType
from models.sla_limits import with_type_limits

OWN_LIMITS = ("accept_minutes", "arrive_minutes", "complete_minutes")


def effective_sla(config: Optional[dict]) -> dict:
    """[sla] with the limits set on fault types in the database (one small query)."""
    columns = [getattr(FaultType, name) for name in OWN_LIMITS]
    rows = (FaultType.select(FaultType.name, *columns)
            .where(FaultType.accept_minutes.is_null(False) | FaultType.arrive_minutes.is_null(False)
                   | FaultType.complete_minutes.is_null(False)).tuples())
    own = {name: {key: value for key, value in zip(OWN_LIMITS, values) if value is not None}
           for name, *values in rows}
    return with_type_limits(config or {}, own)
