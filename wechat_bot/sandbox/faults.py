"""Failures on purpose: the next N calls to a path answer an error code, or hold the answer.

Tests use them to exercise retries: busy (-1), quotas (45009, 45011), token errors, timeouts.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

ANY_PATH = "*"
MAX_DELAY = 60.0  # seconds: long enough for any client timeout, short enough to end a test run


@dataclass
class Fault:
    """What the next `times` calls to `path` get: a delay first, then `errcode` (or the real answer)."""
    path: str
    errcode: Optional[int] = None
    delay: float = 0.0
    times: int = 1

    def as_dict(self) -> dict:
        return asdict(self)


class FaultPlan:
    """Pending faults in the order they were added; callers hold the sandbox lock."""

    def __init__(self):
        self.pending: list[Fault] = []

    def add(self, path: str, errcode: Optional[int] = None, delay: float = 0.0,
            times: int = 1) -> Fault:
        """Plan a fault; ValueError names what is wrong with the request."""
        if path != ANY_PATH and not path.startswith("/cgi-bin/"):
            raise ValueError("path must be a /cgi-bin/... path or '*'")
        if errcode is None and not delay:
            raise ValueError("give an errcode, a delay, or both")
        if errcode is not None and (isinstance(errcode, bool) or not isinstance(errcode, int)
                                    or errcode == 0):
            raise ValueError("errcode must be a non-zero integer")
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) \
                or not 0 <= delay <= MAX_DELAY:
            raise ValueError(f"delay must be between 0 and {MAX_DELAY:g} seconds")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError("times must be a positive integer")
        fault = Fault(path, errcode, float(delay), times)
        self.pending.append(fault)
        return fault

    def take(self, path: str) -> Optional[Fault]:
        """The fault this call gets, used up once; None for a normal answer."""
        for fault in self.pending:
            if fault.path in (path, ANY_PATH):
                fault.times -= 1
                if fault.times == 0:
                    self.pending.remove(fault)
                return Fault(fault.path, fault.errcode, fault.delay, 1)
        return None
