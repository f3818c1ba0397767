"""The call-back survey (回访) after completion: when to remind the reporter, when to give up.

Pure. The survey runs on the wall clock, not business hours: it waits on the reporter, whose
day has no shifts. models.sla_limits.survey_delays reads the two delays from [sla].
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

REMIND, CLOSE_UNRATED = "remind", "close_unrated"
REMIND_AFTER = timedelta(hours=24)
CLOSE_AFTER = timedelta(hours=48)


def survey_step(completed_at: Optional[datetime], rated_at: Optional[datetime],
                reminders_sent: int, now: datetime, remind_after: timedelta = REMIND_AFTER,
                close_after: timedelta = CLOSE_AFTER) -> Optional[str]:
    """REMIND once after `remind_after` unrated, CLOSE_UNRATED after `close_after`, else None."""
    if completed_at is None or rated_at is not None:
        return None
    waited = now - completed_at
    if waited >= close_after:
        # Closing wins over a reminder nobody sent (the worker was down): a reminder that
        # arrives with the order already closed would only confuse.
        return CLOSE_UNRATED
    if waited >= remind_after and reminders_sent < 1:
        return REMIND
    return None
