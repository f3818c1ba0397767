"""The benchmark's data: its config file, seeded users and drafts, and files of signed requests."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import redis

from handlers.turn import Profile
from models import open_database
from models.catalogue import FaultType
from models.orders import RepairOrder
from models.people import User
from wechat_bot.cli.chat_client import WechatSigner
from wechat_bot.config import EXAMPLE_CONFIG, PROJECT_ROOT

TOKEN = "bench-token"
# Per-run key prefixes: two runs never touch each other's keys; a killed run's keys expire.
PREFIX = f"bxbench:{os.getpid()}:"          # the app's keys
ECHO_PREFIX = f"bxbench-echo:{os.getpid()}:"
WEROBOT_PREFIX = f"bxbench-wr:{os.getpid()}:"  # WeRoBot's sessions
PHONE = "13800138000"
NAME, UNIT = "王同学", "计算机学院"   # returning reporters: asked once, remembered
LOCATION = "东校区 3号楼 201"
DESCRIPTION = "卫生间水龙头一直滴水"
CATEGORY = "水电"


def write_config(tmp: Path, redis_url: str, database_url: str, name: str) -> Path:
    """config.example.toml with the bench's own data dir, token, database and Redis."""
    values = {("app", "data_dir"): str(tmp), ("app", "log_level"): "WARNING",
              ("wechat", "token"): TOKEN, ("database", "url"): database_url,
              ("redis", "url"): redis_url, ("redis", "prefix"): PREFIX}
    return example_config_with(values, tmp / f"bench-{name}.toml")


def example_config_with(values: dict, path: Path) -> Path:
    """config.example.toml with `values` ({(section, key): value}) put in place, written to
    `path` (the bench's and the soak's configs)."""
    section, lines, missing = "", [], set(values)
    for line in EXAMPLE_CONFIG.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        section = header.group(1).strip() if header else section
        key = re.match(r"\s*(\w+)\s*=", line)
        if key and (section, key.group(1)) in values:
            missing.discard((section, key.group(1)))
            value = json.dumps(values[section, key.group(1)], ensure_ascii=False)
            line = f"{key.group(1)} = {value}"
        lines.append(line)
    if missing:
        raise RuntimeError(f"config.example.toml lacks {sorted(missing)}: update the bench")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def safe_url(url: str) -> str:
    """A database URL without its password, fit for printing."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def sqlite_url(tmp: Path) -> str:
    """A fresh SQLite file in the run's temporary directory."""
    return f"sqlite:///{tmp}/bench.db"


def empty_postgres(url: str) -> None:
    """Drop everything in the bench's PostgreSQL database (created when missing), so each run
    starts from an empty schema. Refused unless the database's name says it is a bench's."""
    import psycopg2
    base, name = url.rsplit("/", 1)
    if "bench" not in name:
        raise SystemExit(f"refusing to empty {name!r}: the bench's database name must contain "
                         f"'bench' (it drops every table in it)")
    admin = psycopg2.connect(f"{base}/postgres", connect_timeout=3)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = psycopg2.connect(url, connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()


def prepare_database(config: Path) -> None:
    """`run.py init-db` and `run.py seed-demo`, as an operator would."""
    for command in ("init-db", "seed-demo"):
        subprocess.run([sys.executable, "run.py", command, "--config", str(config)],
                       cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)


def openids(scenario: str, count: int) -> list[str]:
    """Distinct simulated users for one scenario (and phase), never reused by another."""
    return [f"o_bench_{scenario}_{i:07d}" for i in range(count)]


def create_users(database_url: str, ids: list[str]) -> dict[str, int]:
    """Insert returning reporters into the app's database; their ids by openid."""
    open_database(database_url)
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    rows = [{"openid": o, "phone": PHONE, "name": NAME, "unit": UNIT, "created_at": now}
            for o in ids]
    with User._meta.database.atomic():
        for start in range(0, len(rows), 5000):
            User.insert_many(rows[start:start + 5000]).execute()
    return dict(User.select(User.openid, User.id).where(User.openid.in_(ids)).tuples())


def category(database_url: str, name: str = CATEGORY) -> dict:
    """The draft fields a chosen category leaves (as reporter._set_category writes them)."""
    open_database(database_url)
    row = FaultType.get(FaultType.name == name)
    return {"category_id": row.id, "category_name": row.name,
            "department_id": row.department_id}


def draft(step: str, chosen: dict) -> dict:
    """A report draft waiting on `step`: 'description' (mid-conversation) or 'confirm'."""
    base = {"kind": "repair", "photos": [], "phone": PHONE, "name": NAME,
            "unit": UNIT, **chosen, "location": LOCATION, "location_id": None, "awaiting": step,
            "t": int(time.time())}
    if step == "confirm":
        base.update(description=DESCRIPTION)
    return base


def seed_state(client: redis.Redis, users: dict[str, int], body: dict) -> None:
    """Each user's cached profile and the draft `body` (with a submission key of its own), as
    their earlier turns left them."""
    pipe = client.pipeline(transaction=False)
    for n, (openid, user_id) in enumerate(users.items(), 1):
        profile = Profile(id=user_id, openid=openid, phone=PHONE, name=NAME, unit=UNIT).as_dict()
        pipe.set(f"{PREFIX}prof:{openid}", json.dumps(profile, ensure_ascii=False), ex=86400)
        draft = json.dumps({**body, "key": f"bench{os.getpid()}x{user_id}"}, ensure_ascii=False)
        pipe.set(f"{PREFIX}draft:{openid}", draft, ex=86400)
        if n % 2000 == 0:
            pipe.execute()
    pipe.execute()


def seed_profiles(client: redis.Redis, users: dict[str, int]) -> None:
    """Returning reporters with no report open: only their cached profile."""
    pipe = client.pipeline(transaction=False)
    for openid, user_id in users.items():
        profile = Profile(id=user_id, openid=openid, phone=PHONE, name=NAME, unit=UNIT).as_dict()
        pipe.set(f"{PREFIX}prof:{openid}", json.dumps(profile, ensure_ascii=False), ex=86400)
    pipe.execute()


def seed_werobot(client: redis.Redis, ids: list[str]) -> None:
    """WeRoBot's returning users: a session each, as RedisStorage writes it (JSON)."""
    pipe = client.pipeline(transaction=False)
    for openid in ids:
        pipe.set(f"{WEROBOT_PREFIX}{openid}", json.dumps({"step": "done", "turns": 3}), ex=86400)
    pipe.execute()


def seed_echo(client: redis.Redis, ids: list[str]) -> None:
    """The one key per user the echo app reads."""
    pipe = client.pipeline(transaction=False)
    for openid in ids:
        pipe.set(f"{ECHO_PREFIX}{openid}", "ok", ex=86400)
    pipe.execute()


def write_requests(path: Path, ids: list[str], content: str) -> Path:
    """One signed text message per user, a line each: 'path?query<TAB>body'."""
    signer = WechatSigner(TOKEN, mode="plain")
    with open(path, "w", encoding="utf-8") as out:
        for openid in ids:
            signed = signer.sign(signer.message_xml(openid, "text", Content=content), openid)
            out.write(f"/wechat?{signed.query}\t{signed.body.decode()}\n")
    return path


def draft_steps(client: redis.Redis, ids: list[str]) -> Counter:
    """How many of these users' drafts wait on each step ('gone' once submitted)."""
    steps: Counter = Counter()
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        for raw in client.mget([f"{PREFIX}draft:{o}" for o in chunk]):
            draft = json.loads(raw) if raw else {}
            # After 确认 the draft is the window for late photos: the report itself is gone.
            steps[draft.get("awaiting", "gone")] += 1
    return steps


def count_users(database_url: str, ids: list[str]) -> int:
    """How many of these openids have a users row."""
    open_database(database_url)
    return sum(User.select().where(User.openid.in_(ids[i:i + 2000])).count()
               for i in range(0, len(ids), 2000))


def count_orders(database_url: str) -> int:
    """Repair orders stored in the app's database."""
    open_database(database_url)
    return RepairOrder.select().count()


def clear_keys(client: redis.Redis) -> int:
    """Delete every key this benchmark (and the app under it) wrote; nothing else."""
    deleted = 0
    for pattern in (f"{PREFIX}*", f"{ECHO_PREFIX}*", f"{WEROBOT_PREFIX}*"):
        batch = []
        for key in client.scan_iter(match=pattern, count=2000):
            batch.append(key)
            if len(batch) >= 2000:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
    return deleted
