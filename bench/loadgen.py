"""Driving a server with wrk (walk.lua) and reading its figures; pyload.py when wrk is missing."""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyload

WALK_LUA = Path(__file__).resolve().parent / "walk.lua"


@dataclass
class Result:
    """One measured run: completed requests, latency percentiles and what went wrong."""
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    good: int = 0
    bad: int = 0             # non-200 status or a reply without the expected text
    overrun: int = 0         # requests sent a second time because the file ran out
    socket_errors: int = 0
    samples: list[str] = field(default_factory=list)
    server_cpu: float = 0.0  # CPU seconds the server's workers used meanwhile
    redis_cpu: float = 0.0   # CPU seconds Redis used meanwhile
    machine_idle: int = 0    # the machine's idle CPU ticks meanwhile (/proc/stat) ...
    machine_ticks: int = 0   # ... of all its CPU ticks

    @property
    def idle_share(self) -> float:
        """How much of the machine's CPU was idle: time every process spent waiting."""
        return self.machine_idle / self.machine_ticks if self.machine_ticks else 0.0

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_us(self, seconds: float) -> float:
        """CPU microseconds per completed request."""
        return seconds * 1e6 / self.requests if self.requests else 0.0


def combine(slices: list[Result]) -> Result:
    """Slices of one scenario as one: summed counts, median of the slices' percentiles."""
    return Result(requests=sum(r.requests for r in slices), seconds=sum(r.seconds for r in slices),
                  p50_ms=statistics.median(r.p50_ms for r in slices),
                  p99_ms=statistics.median(r.p99_ms for r in slices),
                  **{k: sum(getattr(r, k) for r in slices)
                     for k in ("good", "bad", "overrun", "socket_errors", "server_cpu",
                               "redis_cpu", "machine_idle", "machine_ticks")},
                  samples=[s for r in slices for s in r.samples][:3])


def machine_ticks() -> tuple[int, int]:
    """(idle, all) CPU ticks of the whole machine since boot, from /proc/stat ((0, 0) elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(n) for n in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    return ticks[3] + ticks[4], sum(ticks)   # idle + iowait


def ensure_wrk() -> bool:
    """Whether wrk is there, installing Debian's package (as root) when it is not."""
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk ...", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 300}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], **quiet)
            subprocess.run(install, **quiet)
    return shutil.which("wrk") is not None


def run(url: str, request_file: Path, expect: str, seconds: float, connections: int,
        threads: int, use_wrk: bool) -> Result:
    """Send the file's requests to `url` for `seconds` at fixed concurrency."""
    if not use_wrk:
        return Result(**pyload.run(url, request_file, expect, seconds, connections))
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
            "--timeout", "5s", "-s", str(WALK_LUA), url, "--", str(request_file), expect,
            str(threads)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
    return parse_wrk(done.stdout, done.stderr)


def parse_wrk(stdout: str, stderr: str = "") -> Result:
    """The BENCH lines walk.lua's done() printed."""
    match = re.search(r"^BENCH (.*)$", stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no figures:\n{stdout}\n{stderr}")
    figures = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    samples = re.findall(r"^BENCH_SAMPLE (.*)$", stdout, re.M)
    return Result(requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
                  p50_ms=figures["p50_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                  good=figures["good"], bad=figures["bad"] + figures["timeout"],
                  overrun=figures["overrun"],
                  socket_errors=figures["connect"] + figures["read"] + figures["write"],
                  samples=samples)
