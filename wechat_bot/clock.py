"""Time as the bot sees it: local wall-clock time, replaceable by a controllable clock in tests."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """The real clock in the campus's time zone; datetimes are naive local time."""

    def __init__(self, timezone: str = "Asia/Shanghai"):
        self.zone = ZoneInfo(timezone)

    def now(self) -> datetime:
        """Local time now, without tzinfo (that is how it is stored)."""
        return datetime.now(self.zone).replace(tzinfo=None, microsecond=0)

    def timestamp(self) -> int:
        """Unix seconds now."""
        return int(time.time())


class ManualClock(Clock):
    """A clock that only moves when told to: tests and simulations use it instead of sleeping."""

    def __init__(self, start: datetime, timezone: str = "Asia/Shanghai"):
        super().__init__(timezone)
        self.current = start

    def now(self) -> datetime:
        return self.current

    def timestamp(self) -> int:
        return int(self.current.replace(tzinfo=self.zone).timestamp())

    def advance(self, **delta) -> datetime:
        """Move forward by timedelta keyword arguments (minutes=31, days=2 ...)."""
        self.current += timedelta(**delta)
        return self.current
