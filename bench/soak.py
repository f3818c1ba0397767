#!/usr/bin/env python3
"""make soak: 1,000 reporters finish one-shot reports against the production set-up, with or
without faults, and the bench counts what came of it from outside.

gunicorn -w 2, two supervised `run.py worker` processes, PostgreSQL (behind a proxy that can be
cut), a redis-server of its own with an append-only file, and the WeChat API emulator. With
--faults, half-way through: the database is cut for 5 s, Redis is restarted, one worker is
killed. A report, not a test: it prints the figures and exits 0 when it could measure.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import soak_figures  # noqa: E402
from soak_load import Client, Reporter, run_reporters  # noqa: E402
from soak_stack import TOKEN, Stack  # noqa: E402

RESULTS = BENCH_DIR / "results"
PREFIX = "o_soak_r"
SKILLS = "水电,门窗家具,空调,网络,公共设施,其他"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--engineers", type=int, default=4)
    parser.add_argument("--faults", action="store_true", help="cut the database, restart Redis "
                        "and kill a worker half-way through")
    parser.add_argument("--cut-seconds", type=float, default=5.0)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server to connect to as admin")
    parser.add_argument("--database", default="h12_soak", help="dropped and made afresh")
    parser.add_argument("--settle", type=float, default=180, help="seconds to wait for the "
                        "worker to dispatch and notify everything after the last reporter")
    return parser.parse_args()


def bind_engineers(stack: Stack, client: Client, count: int) -> None:
    """Invite codes from `run.py invite`, bound by each engineer's 绑定 in chat."""
    for n in range(1, count + 1):
        code = stack.run_py("invite", "--role", "engineer", "--name", f"师傅{n}",
                            "--phone", f"1370000{n:04d}", "--skills", SKILLS).split()[-1]
        turn = client.send(f"o_soak_engineer_{n}", f"绑定 {code}")
        if "绑定成功" not in turn.text:
            raise RuntimeError(f"engineer {n} could not bind: {turn.outcome} {turn.text!r}")


class FaultPlan:
    """Injects the three faults once, when half the reporters are done (in its own thread)."""

    def __init__(self, stack: Stack, half: int, cut_seconds: float):
        self.stack, self.half, self.cut_seconds = stack, half, cut_seconds
        self.log: list[tuple[str, str]] = []
        self.ended_at = None
        self.thread = threading.Thread(target=self._inject, name="faults", daemon=True)

    def on_done(self, done: int) -> None:
        if done == self.half and not self.thread.is_alive() and self.ended_at is None:
            self.thread.start()

    def _inject(self) -> None:
        t0 = time.time()
        self.stack.proxy.cut(self.cut_seconds)
        self.log.append(("database cut (connections closed, new ones refused)",
                         f"{time.time() - t0:.1f} s"))
        time.sleep(2)
        down = self.stack.redis.restart()
        self.log.append(("Redis restarted (SIGTERM, started again on its AOF)", f"down {down:.1f} s"))
        time.sleep(2)
        self.stack.workers[0].kill()
        self.log.append(("one worker killed (SIGKILL)", "restarted by the supervisor after 1 s"))
        self.ended_at = time.time()

    def summary(self, stack: Stack) -> dict:
        self.thread.join()
        exits = [code for worker in stack.workers for _, code in worker.exits]
        return {"log": self.log, "ended_at": self.ended_at,
                "worker_exits": f"{len(exits)} (codes {exits})" if exits else "0"}


def main() -> int:
    args = parse_args()
    log_dir = RESULTS / ("soak-faults" if args.faults else "soak")
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    print(f"starting the stack (logs in {log_dir}) …", flush=True)
    stack = Stack(log_dir, args.pg, args.database)
    try:
        return measure(args, stack, log_dir)
    finally:
        stack.stop()


def measure(args: argparse.Namespace, stack: Stack, log_dir: Path) -> int:
    client = Client(f"http://127.0.0.1:{stack.web_port}", TOKEN)
    bind_engineers(stack, client, args.engineers)
    faults = FaultPlan(stack, args.reporters // 2, args.cut_seconds) if args.faults else None
    print(f"{args.reporters} reporters, {args.concurrency} at a time"
          f"{', faults half-way' if faults else ''} …", flush=True)
    started = time.time()
    reporters = run_reporters(client, args.reporters, args.concurrency, PREFIX,
                              on_done=faults.on_done if faults else lambda done: None)
    seconds = time.time() - started
    cpu = {"web": stack.web.cpu_seconds(), "workers": sum(w.child.cpu_seconds() for w in stack.workers),
           "emulator": stack.emulator.child.cpu_seconds(), "load": time.process_time()}
    direct_url = args.pg.rsplit("/", 1)[0] + f"/{args.database}"
    waited = soak_figures.wait_settled(direct_url, args.settle)
    print(f"load done in {seconds:.0f} s; settled {waited:.1f} s later", flush=True)
    fault_info = faults.summary(stack) if faults else None
    figures = soak_figures.count(reporters, direct_url, PREFIX, stack.emulator.templates(),
                                 stack.emulator.resends(), seconds, fault_info)
    label = "soak with faults" if faults else "soak"
    text = soak_figures.table(figures, f"{label}: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    text += ("\n\nCPU seconds during the load: " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items())
             + f" (of {2 * seconds:.0f} on 2 cores; load average {os.getloadavg()[0]:.1f} at the end)")
    print(text)
    write_results(log_dir, text, figures, reporters)
    return 0


def write_results(log_dir: Path, text: str, figures, reporters: list[Reporter]) -> None:
    """The table beside the logs, and each failed reporter's story for a closer look."""
    (log_dir / "table.md").write_text(text + "\n", encoding="utf-8")
    data = {**asdict(figures), "outcomes": dict(figures.outcomes)}
    (log_dir / "figures.json").write_text(json.dumps(data, ensure_ascii=False, default=str,
                                                     indent=1), encoding="utf-8")
    stuck = [{"openid": r.openid, "failure": r.failure,
              "turns": [(t.outcome, round(t.started, 3), round(t.seconds, 3), t.text[:120])
                        for t in r.turns]}
             for r in reporters if r.failure or any(t.outcome != "ok" for t in r.turns)]
    (log_dir / "troubled_reporters.json").write_text(
        json.dumps(stuck, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
