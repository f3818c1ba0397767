"""The benchmark's data: its config file, seeded users and drafts, and files of signed requests."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import redis

from models import open_database
from models.orders import RepairOrder
from models.people import User
from wechat_bot.chat_client import WechatSigner
from wechat_bot.config import PROJECT_ROOT

TOKEN = "bench-token"
PREFIX = "bxbench:"          # the app's keys; the echo app's live under ECHO_PREFIX
ECHO_PREFIX = "bxbench-echo:"
PHONE = "13800138000"
LOCATION = "东校区 3号楼 201"
DESCRIPTION = "卫生间水龙头一直滴水"

CONFIG = """# Written by bench/run_bench.py for one run; deleted with its directory.
[app]
data_dir = "{tmp}"
log_level = "WARNING"

[wechat]
token = "{token}"
app_id = "wx0000000000000000"
max_timestamp_skew = 600

[database]
url = "sqlite:///{tmp}/bench.db"

[redis]
url = "{redis_url}"
prefix = "{prefix}"
"""


def write_config(tmp: Path, redis_url: str) -> Path:
    """A TOML config for the real app: fresh SQLite file in `tmp`, the given Redis."""
    path = tmp / "bench.toml"
    path.write_text(CONFIG.format(tmp=tmp, token=TOKEN, redis_url=redis_url, prefix=PREFIX))
    return path


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
    rows = [{"openid": o, "phone": PHONE, "created_at": now} for o in ids]
    with User._meta.database.atomic():
        for start in range(0, len(rows), 500):
            User.insert_many(rows[start:start + 500]).execute()
    return dict(User.select(User.openid, User.id).where(User.openid.in_(ids)).tuples())


def draft(step: str) -> dict:
    """A report draft waiting on `step`: 'description' (mid-conversation) or 'confirm'."""
    base = {"kind": "repair", "photos": [], "photos_done": False, "phone": PHONE,
            "category_id": 1, "category_name": "水电", "location": LOCATION,
            "location_id": None, "awaiting": step, "t": int(time.time())}
    if step == "confirm":
        base.update(description=DESCRIPTION, photos_done=True)
    return base


def seed_state(client: redis.Redis, users: dict[str, int], step: str) -> None:
    """Each user's cached profile and a draft waiting on `step`, as earlier turns left them."""
    pipe = client.pipeline(transaction=False)
    body = json.dumps(draft(step), ensure_ascii=False)
    for n, (openid, user_id) in enumerate(users.items(), 1):
        profile = {"id": user_id, "openid": openid, "role": "reporter", "phone": PHONE, "name": ""}
        pipe.set(f"{PREFIX}prof:{openid}", json.dumps(profile), ex=86400)
        pipe.set(f"{PREFIX}draft:{openid}", body, ex=86400)
        if n % 2000 == 0:
            pipe.execute()
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
            steps[json.loads(raw)["awaiting"] if raw else "gone"] += 1
    return steps


def count_orders(database_url: str) -> int:
    """Repair orders stored in the app's database."""
    open_database(database_url)
    return RepairOrder.select().count()


def clear_keys(client: redis.Redis) -> int:
    """Delete every key this benchmark (and the app under it) wrote; nothing else."""
    deleted = 0
    for pattern in (f"{PREFIX}*", f"{ECHO_PREFIX}*"):
        batch = []
        for key in client.scan_iter(match=pattern, count=2000):
            batch.append(key)
            if len(batch) >= 2000:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
    return deleted
