"""Logging set-up and the openid mask: logs never carry a full openid."""
import logging
import re
from datetime import datetime
from typing import Optional
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from werkzeug.serving import WSGIRequestHandler

# WeChat names the sender in /wechat's query string: ?signature=…&openid=o6_b…
OPENID_IN_QUERY = re.compile(r"(openid=)([^&\s\"]+)")


def mask(openid: str) -> str:
    """o6_bmjrPTlm6_2sgVt7hMZOPfL2M → o6_b…PfL2M: enough to correlate, not to identify."""
    if len(openid) <= 8:
        return "*" * len(openid)
    return f"{openid[:4]}…{openid[-5:]}"


class AccessLog(WSGIRequestHandler):
    """Access lines of run.py serve and make run, each with the openid in the query masked and
    without werkzeug's own timestamp (the line already starts with the configured zone's
    time; werkzeug's is the process's zone, often UTC)."""

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002 (werkzeug's name)
        text = message % args if args else message
        text = OPENID_IN_QUERY.sub(lambda found: found.group(1) + mask(unquote(found.group(2))),
                                   text)
        getattr(logging.getLogger("werkzeug"), type)("%s %s", self.address_string(), text)


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
