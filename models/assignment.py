"""Who should take an order: the assignment rules. Pure: plain dataclasses in, a Decision out.

The database side (models/assignment_data.py) loads the inputs; this module only decides, so
every rule is tested with tables of cases and a dispatcher's screen can show the same ranking.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Optional

# The same strings as models.catalogue.REPAIR / MATTER; repeated so this module needs no peewee.
REPAIR, MATTER = "repair", "matter"
ENGINEER, VENDOR, QUEUE = "engineer", "vendor", "queue"
RANKED_LIMIT = 10  # suggestions a dispatcher sees; more is noise and costs time


@dataclass(frozen=True)
class Candidate:
    """One member of staff as the rules see them."""
    user_id: int
    skills: frozenset[int] = frozenset()    # fault type ids
    areas: frozenset[int] = frozenset()     # location ids; each covers everything under it
    department_id: Optional[int] = None
    active: bool = True
    on_duty: bool = True                    # the shifts issue fills this from the roster
    open_jobs: int = 0
    last_assigned_at: Optional[datetime] = None


@dataclass(frozen=True)
class Warranty:
    """Who fixes the order's device while it is under warranty."""
    vendor: str
    vendor_phone: str
    warranty_end: Optional[date]

    def covers(self, today: date) -> bool:
        """Still under warranty today, and there is a number to call."""
        return bool(self.vendor_phone) and self.warranty_end is not None \
            and self.warranty_end >= today


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about one order."""
    kind: str                                # REPAIR or MATTER
    fault_type_id: Optional[int]
    department_ids: frozenset[int]           # the handling department and those under it
    today: date
    location_path: tuple[int, ...] = ()      # the order's location up to the campus
    rejected_by: frozenset[int] = frozenset()
    warranty: Optional[Warranty] = None


@dataclass(frozen=True)
class Ranked:
    """A suggested candidate and the facts that placed them."""
    user_id: int
    area_match: bool
    open_jobs: int
    last_assigned_at: Optional[datetime]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Machine-readable why, best-first criteria first: area, workload, last assignment."""
        last = (f"last_assigned={self.last_assigned_at.isoformat()}"
                if self.last_assigned_at else "never_assigned")
        return ("area_match" if self.area_match else "outside_area",
                f"open_jobs={self.open_jobs}", last)


@dataclass(frozen=True)
class Decision:
    """Where the order goes: an engineer, the device's vendor, or the dispatch queue."""
    how: str                                 # ENGINEER, VENDOR or QUEUE
    engineer_id: Optional[int] = None
    vendor: str = ""
    vendor_phone: str = ""
    ranked: tuple[Ranked, ...] = ()          # best first, at most RANKED_LIMIT


def decide(candidates: Iterable[Candidate], facts: OrderFacts,
           limit: int = RANKED_LIMIT) -> Decision:
    """Route the order: vendor under warranty, else the best-ranked candidate, else the queue."""
    ranked = rank(candidates, facts, limit)
    warranty = facts.warranty
    # Matters (security, loss, move-in) are never a vendor's business.
    if facts.kind == REPAIR and warranty is not None and warranty.covers(facts.today):
        # The ranking stays attached: a dispatcher overruling the vendor sees who is next.
        return Decision(VENDOR, None, warranty.vendor, warranty.vendor_phone, ranked)
    if not ranked:
        return Decision(QUEUE)
    return Decision(ENGINEER, ranked[0].user_id, ranked=ranked)


def rank(candidates: Iterable[Candidate], facts: OrderFacts,
         limit: int = RANKED_LIMIT) -> tuple[Ranked, ...]:
    """The best `limit` eligible candidates, best first, in one pass without a full sort."""
    path = frozenset(facts.location_path)
    keyed = ((_sort_key(c, path), c) for c in candidates if eligible(c, facts))
    best = heapq.nsmallest(limit, keyed, key=lambda pair: pair[0])
    return tuple(Ranked(c.user_id, not key[0], c.open_jobs, c.last_assigned_at)
                 for key, c in best)


def eligible(candidate: Candidate, facts: OrderFacts) -> bool:
    """Active, on duty, has not turned this order down, and fits the order's kind."""
    if not (candidate.active and candidate.on_duty):
        return False
    if candidate.user_id in facts.rejected_by:
        return False
    if facts.kind == MATTER:
        # Matters go to the duty staff of a department; no trade skill is involved.
        return candidate.department_id in facts.department_ids
    return facts.fault_type_id in candidate.skills


def covers(candidate: Candidate, location_path: Iterable[int]) -> bool:
    """Whether one of the candidate's areas is the order's location or above it."""
    return not candidate.areas.isdisjoint(location_path)


def _sort_key(candidate: Candidate, path: frozenset[int]) -> tuple:
    # Smaller is better: in the area, fewer open jobs, longest since the last job (never
    # assigned first, which is the round-robin), and the user id so ties never depend on order.
    last = candidate.last_assigned_at
    return (not covers(candidate, path), candidate.open_jobs,
            last is not None, last or datetime.min, candidate.user_id)
