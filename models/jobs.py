"""Scheduled job bookkeeping: when each job last ran, so a run is claimed exactly once."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from peewee import CharField, DateTimeField, IntegrityError

from models.database import BaseModel, db


class JobRun(BaseModel):
    """The last scheduled time a job ran for, and when it actually ran."""
    job_id = CharField(max_length=64, primary_key=True)
    fire_time = DateTimeField()
    ran_at = DateTimeField()


def last_fire_time(job_id: str) -> Optional[datetime]:
    """The scheduled time the job last ran for (None: never)."""
    row = JobRun.get_or_none(JobRun.job_id == job_id)
    return row.fire_time if row else None


def claim_run(job_id: str, fire_time: datetime, now: datetime) -> bool:
    """Record that this process runs `job_id` for `fire_time`; False if someone already did.

    The UPDATE only matches an older fire time, so two workers that both think they lead
    still cannot run the same occurrence twice.
    """
    updated = JobRun.update(fire_time=fire_time, ran_at=now).where(
        JobRun.job_id == job_id, JobRun.fire_time < fire_time).execute()
    if updated:
        return True
    if JobRun.get_or_none(JobRun.job_id == job_id) is not None:
        return False
    try:
        with db.atomic():
            JobRun.insert(job_id=job_id, fire_time=fire_time, ran_at=now).execute()
        return True
    except IntegrityError:  # another worker inserted it a moment ago
        return False
