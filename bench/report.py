"""The results table: req/s, p50, p99, ratio to a reference (the echo or WeRoBot), target and
verdict."""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from loadgen import Result

RESULTS = Path(__file__).resolve().parent / "results" / "latest.txt"
COLUMNS = ("scenario", "req/s", "p50 ms", "p99 ms", "ratio", "target", "errors", "verdict",
           "app µs/req", "redis µs/req", "idle %")


@dataclass
class Row:
    """One scenario's result, its per-round rates ÷ its reference's, and its target (none for
    the echo)."""
    name: str
    result: Result
    ratios: list[float] = field(default_factory=lambda: [1.0])
    min_ratio: Optional[float] = None
    max_p99_ms: Optional[float] = None
    versus: str = ""           # the reference the ratio is to ("" for the echo itself)
    p99_rule: str = ""         # how the p99 limit reads in the target column

    @property
    def ratio(self) -> float:
        """The median of the per-round ratios: a burst of other load spoils one round only."""
        return statistics.median(self.ratios)

    def errors(self) -> int:
        """Bad replies, socket errors and re-sent requests, all of which spoil a figure."""
        r = self.result
        return r.bad + r.socket_errors + r.overrun

    def cells(self) -> list[str]:
        """The row's table cells."""
        r, ratio = self.result, self.ratio
        target, verdict = "-", "-"
        if self.min_ratio is not None:
            target = f"≥ {self.min_ratio:.2f}"
            ok = ratio >= self.min_ratio
            if self.max_p99_ms is not None:
                target += f", p99 ≤ {self.p99_rule or f'{self.max_p99_ms:g} ms'}"
                ok = ok and r.p99_ms <= self.max_p99_ms
            verdict = "PASS" if ok and not self.errors() else "FAIL"
        shown = f"{ratio:.2f} × {self.versus}" if self.versus else "-"
        return [self.name, f"{r.rps:.0f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}",
                shown, target, str(self.errors()), verdict,
                f"{r.cpu_us(r.server_cpu):.0f}", f"{r.cpu_us(r.redis_cpu):.0f}",
                f"{100 * r.idle_share:.0f}"]


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool) -> str:
    """`text` padded to `size` terminal columns."""
    fill = " " * (size - width(text))
    return fill + text if right else text + fill


def table(rows: list[Row]) -> str:
    """The rows aligned under COLUMNS; numbers right-aligned."""
    grid = [list(COLUMNS)] + [row.cells() for row in rows]
    sizes = [max(width(line[i]) for line in grid) for i in range(len(COLUMNS))]
    lines = ["  ".join(pad(cell, sizes[i], 0 < i < 6 or i > 7) for i, cell in enumerate(line))
             for line in grid]
    lines.insert(1, "  ".join("-" * size for size in sizes))
    return "\n".join(line.rstrip() for line in lines)


def cpu_ratios(rows: list[Row]) -> str:
    """Echo's CPU per request (app + Redis) ÷ each scenario's: a cross-check of × echo."""
    def cost(row: Row) -> float:
        return row.result.cpu_us(row.result.server_cpu + row.result.redis_cpu)

    echo, *others = rows
    parts = [f"{row.name} {cost(echo) / cost(row):.2f}" for row in others if cost(row)]
    return "CPU cost × echo (echo's app+redis µs/req ÷ the scenario's): " + ", ".join(parts)


def error_details(rows: list[Row]) -> list[str]:
    """A line per kind of error, with sample replies, so a FAIL says why."""
    found = []
    for row in rows:
        r = row.result
        if r.bad:
            found.append(f"{row.name}: {r.bad} bad replies (non-200, wrong content or timeout)")
        if r.socket_errors:
            found.append(f"{row.name}: {r.socket_errors} socket errors")
        if r.overrun:
            found.append(f"{row.name}: request file ran out {r.overrun}× (re-sent, cached replies)")
        found += [f"    e.g. {sample}" for sample in r.samples]
    return found


def save(text: str) -> Path:
    """Write the report to bench/results/latest.txt."""
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    return RESULTS
