"""The fallback load generator when wrk cannot be had: one process per connection, closed loop."""
from __future__ import annotations

import http.client
import multiprocessing
import time
from pathlib import Path
from urllib.parse import urlsplit

HEADERS = {"Content-Type": "text/xml"}


def _client(job: tuple) -> dict:
    """One connection's loop: send its share of the requests until the deadline."""
    host, port, lines, expect, start, deadline = job
    while time.time() < start:
        time.sleep(0.001)
    latencies, good, bad, overrun, socket_errors, samples, pos = [], 0, 0, 0, 0, [], 0
    while time.time() < deadline:
        if pos == len(lines):
            pos, overrun = 0, overrun + 1
        path, body = lines[pos]
        pos += 1
        began = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("POST", path, body, HEADERS)
            response = conn.getresponse()
            data, status = response.read(), response.status
            conn.close()
        except OSError:
            socket_errors += 1
            continue
        latencies.append(time.perf_counter() - began)
        if status == 200 and expect.encode() in data:
            good += 1
        else:
            bad += 1
            if len(samples) < 3:
                samples.append(f"{status} {data[:300]!r}")
    return {"latencies": latencies, "good": good, "bad": bad, "overrun": overrun,
            "socket_errors": socket_errors, "samples": samples}


def run(url: str, request_file: Path, expect: str, seconds: float, connections: int) -> dict:
    """The same figures walk.lua reports, as keyword arguments for loadgen.Result."""
    parts = urlsplit(url)
    rows = [line.rstrip("\n").split("\t", 1)
            for line in request_file.read_text(encoding="utf-8").splitlines()]
    rows = [(path, body.encode()) for path, body in rows]
    start = time.time() + 0.5
    jobs = [(parts.hostname, parts.port, rows[i::connections], expect, start, start + seconds)
            for i in range(connections)]
    with multiprocessing.get_context("fork").Pool(connections) as pool:
        parts_done = pool.map(_client, jobs)
    latencies = sorted(x for p in parts_done for x in p["latencies"])
    counts = {k: sum(p[k] for p in parts_done) for k in ("good", "bad", "overrun", "socket_errors")}
    return {"requests": len(latencies), "seconds": seconds, "p50_ms": _percentile(latencies, 0.50),
            "p99_ms": _percentile(latencies, 0.99), **counts,
            "samples": [s for p in parts_done for s in p["samples"]][:3]}


def _percentile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted latencies in seconds, as milliseconds."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
