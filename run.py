#!/usr/bin/env python3
"""报修 bot command line: serve, demo, worker, init-db, seed-demo, invite, create-admin, chat …

Every subcommand takes --config (else $WECHAT_BOT_CONFIG, else the embedded defaults).
"""
from __future__ import annotations

import argparse
import sys

from peewee import OperationalError
from redis import RedisError

from wechat_bot.config import ConfigError, load_settings


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; config problems are one line, exit 2."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        return args.run(settings, args) or 0
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (OperationalError, RedisError) as exc:
        print(f"{args.command}: cannot reach a service: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    from wechat_bot.cli import commands

    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, helptext: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("--config", help="TOML config file")
        cmd.set_defaults(run=func)
        return cmd

    for name in ("serve", "demo"):
        cmd = add(name, getattr(commands, name), commands.HELP[name])
        cmd.add_argument("--host", default="127.0.0.1")
        cmd.add_argument("--port", type=int, default=5000)
    cmd.add_argument("--sandbox-port", type=int, default=None,
                     help="the WeChat API emulator's port (default: from api_base_url, 5001)")
    add("init-db", commands.init_db, commands.HELP["init-db"])
    add("seed-demo", commands.seed_demo, commands.HELP["seed-demo"])
    add("worker", commands.worker, commands.HELP["worker"]).add_argument(
        "--check", action="store_true",
        help="print one line (database, Redis, worker heartbeat) and exit 0 when all are ok")
    add("sync-menu", commands.sync_menu, commands.HELP["sync-menu"])
    invite = add("invite", commands.invite, commands.HELP["invite"])
    invite.add_argument("--role", required=True)
    for option in ("name", "phone", "skills", "areas", "department", "shift"):
        invite.add_argument(f"--{option}", default="")
    admin = add("create-admin", commands.create_admin, commands.HELP["create-admin"])
    admin.add_argument("--username", required=True)
    admin.add_argument("--password", default=None,
                       help="avoid: others can read it in the process list; without it, it is asked for")
    chat = add("chat", commands.chat, commands.HELP["chat"])
    chat.add_argument("--openid", default="o_demo_reporter_0001")
    chat.add_argument("--url", default="http://127.0.0.1:5000/wechat")
    chat.add_argument("--mode", choices=("plain", "compat", "safe"), default="")
    _simulate_options(add("simulate", commands.simulate, commands.HELP["simulate"]))
    return parser


def _simulate_options(cmd: argparse.ArgumentParser) -> None:
    from wechat_bot.cli.commands import count, share, staffing

    cmd.add_argument("--days", type=count(1), default=7)
    cmd.add_argument("--reporters", type=count(0), default=30, help="reports a day")
    cmd.add_argument("--engineers", type=staffing, default=2,
                     help="repair engineers per shift: 2, or per shift name: day=2,night=3")
    cmd.add_argument("--no-shows", type=share, default=0.25,
                     help="share of the engineers who never answer (0-1)")
    cmd.add_argument("--paper", type=share, default=0.1,
                     help="share of the jobs completed on paper and recorded by the desk (0-1)")
    cmd.add_argument("--seed", type=int, default=1)
    cmd.add_argument("--fill", action="store_true",
                     help="write into the configured (empty) database as demo data for make run")


if __name__ == "__main__":
    sys.exit(main())
