"""Logging set-up and the openid mask: logs never carry a full openid."""
import logging
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo


def mask(openid: str) -> str:
    """o6_bmjrPTlm6_2sgVt7hMZOPfL2M → o6_b…PfL2M: enough to correlate, not to identify."""
    if len(openid) <= 8:
        return "*" * len(openid)
    return f"{openid[:4]}…{openid[-5:]}"


class LocalTimeFormatter(logging.Formatter):
    """Times in the campus's time zone with the offset, like the job times beside them."""

    def __init__(self, fmt: str, zone: Optional[ZoneInfo]):
        super().__init__(fmt)
        self.zone = zone

    def formatTime(self, record, datefmt=None) -> str:  # noqa: N802 (logging's name)
        moment = datetime.fromtimestamp(record.created, self.zone).astimezone(self.zone)
        return moment.isoformat(timespec="milliseconds")


def setup_logging(level: str, timezone: str = "") -> None:
    """One line per record: local time with its offset, level, logger name, message."""
    handler = logging.StreamHandler()
    handler.setFormatter(LocalTimeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                            ZoneInfo(timezone) if timezone else None))
    chosen = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(level=chosen, handlers=[handler])
    # APScheduler says "Running job …" and "executed successfully" for every minute job: the
    # jobs log what they did themselves, so its lines only show at DEBUG.
    quiet = chosen if chosen <= logging.DEBUG else max(chosen, logging.WARNING)
    logging.getLogger("apscheduler").setLevel(quiet)
