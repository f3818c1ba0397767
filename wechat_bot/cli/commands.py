"""The work behind each run.py subcommand."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import Optional

from wechat_bot.config import Settings
from wechat_bot.logs import AccessLog

HELP = {
    "serve": "run the development web server (use gunicorn in production)",
    "demo": "initialise the embedded defaults, seed the demo catalogue, serve (make run)",
    "init-db": "create the database schema (safe to run again)",
    "seed-demo": "load the demo catalogue when the catalogue is empty",
    "invite": "print a single-use invite code for a role; the code is the last word",
    "chat": "talk to a running server as a WeChat user, from the terminal",
    "worker": "deliver notifications, dispatch orders, fetch photos (run one or more); "
              "--check prints one health line and exits 0 (all ok) or 1",
    "sync-menu": "install the menus: the default one and one per role (by user tag)",
    "create-admin": "make a back-office admin account (the first one; the password is asked for); "
                    "log in at /admin/login",
    "simulate": "run days of operation in minutes on the real code paths and check the "
                "invariants (exit 1 when one breaks)",
}
log = logging.getLogger("run")


def init_db(settings: Settings, args=None) -> None:
    """Create every table that is missing."""
    from models import create_tables, open_database

    open_database(settings.database_url)
    create_tables()
    print(f"database ready: {_safe_url(settings.database_url)}")


def seed_demo(settings: Settings, args=None) -> None:
    """Load the demo catalogue into an empty catalogue."""
    from models.seed import seed_demo as seed

    init_db(settings)
    print("demo catalogue loaded" if seed() else "catalogue already present, left as it is")


def invite(settings: Settings, args) -> int:
    """Print a new invite code; the code is the last word of the output."""
    from models import open_database
    from models.invites import create_invite
    from wechat_bot.clock import Clock

    open_database(settings.database_url)
    try:
        code = create_invite(args.role, Clock(settings.app.timezone).now(),
                             settings.conversation.invite_days, name=args.name,
                             phone=args.phone, skills=args.skills, areas=args.areas,
                             department=args.department, shift=args.shift)
    except ValueError as exc:
        print(f"invite: {exc}")
        return 2
    print(f"role {code.role}, valid until {code.expires_at:%Y-%m-%d %H:%M}, "
          f"send it as: 绑定 {code.code}\n{code.code}")
    return 0


def create_admin(settings: Settings, args) -> int:
    """Make an admin account for the web back office; the password is never printed."""
    from models import create_tables, open_database
    from models.people import ADMIN
    from models.staff import StaffError, create_staff
    from wechat_bot.clock import Clock

    password = args.password if args.password is not None else _ask_password()
    if password is None:
        print("create-admin: the two passwords differ; nothing was created")
        return 2
    open_database(settings.database_url)
    create_tables()  # the staff tables may be newer than the database
    try:
        account = create_staff(args.username, password, ADMIN, args.username,
                               Clock(settings.app.timezone).now())
    except StaffError as exc:
        print(f"create-admin: {exc}")
        return 2
    print(f"admin account created: {account.username} (log in at /admin/login)")
    return 0


def _ask_password() -> Optional[str]:
    """The new password, typed twice without echo (or two lines of a pipe); None if they differ."""
    if sys.stdin.isatty():
        first, second = getpass.getpass("password: "), getpass.getpass("again: ")
    else:
        first, second = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    return first if first == second else None


def worker(settings: Settings, args=None) -> int:
    """The background worker, until SIGTERM or Ctrl-C (0) or too many failed rounds (1)."""
    from wechat_bot.background.worker import run_worker

    if getattr(args, "check", False):
        return worker_check(settings)
    return run_worker(settings)


def worker_check(settings: Settings) -> int:
    """`run.py worker --check`: one health line; 0 when the services and a worker are ok."""
    from models import open_database
    from wechat_bot.clock import Clock
    from wechat_bot.redis_conn import connect_redis
    from wechat_bot.webhook.health import all_ok, health_line, health_report

    open_database(settings.database_url)
    client = connect_redis(settings.redis.url, settings.data_path)
    report = health_report(settings, client, Clock(settings.app.timezone).timestamp())
    print(health_line(report))
    return 0 if all_ok(report) else 1


def sync_menu(settings: Settings, args=None) -> int:
    """Install the role menus through the WeChat API (or the emulator)."""
    from wechat_bot.redis_conn import connect_redis
    from wechat_bot.wechat_api.gateway import WechatError
    from wechat_bot.wechat_api.gateway import make_gateway
    from wechat_bot.wechat_api.menus import Tags, load_menus, sync_menus

    client = connect_redis(settings.redis.url, settings.data_path)
    gateway = make_gateway(settings, client)
    try:
        made = sync_menus(gateway, Tags(gateway, client, settings.redis.prefix, load_menus()["tags"]))
    except WechatError as exc:
        print(f"sync-menu: WeChat refused: {exc}")
        return 1
    print(f"menus installed: {', '.join(made)}")
    return 0


def serve(settings: Settings, args, redis_client=None) -> None:
    """Flask's development server; fine for trying the bot, not for production."""
    from wechat_bot import create_app

    init_db(settings)
    create_app(settings, redis_client=redis_client).run(host=args.host, port=args.port,
                                                        threaded=True, request_handler=AccessLog)


def demo(settings: Settings, args) -> int:
    """make run: schema, demo catalogue, the emulator and the worker, then the web server."""
    from wechat_bot.cli.demo import demo as run

    return run(settings, args)


def chat(settings: Settings, args) -> int:
    """An interactive terminal that talks to the server like WeChat would."""
    from wechat_bot.cli.chat_client import ChatClient, repl

    return repl(ChatClient(settings, args.url, args.openid, args.mode))


def simulate(settings: Settings, args) -> int:
    """Days of operation on a throw-away database (or --fill the configured one); the report."""
    from wechat_bot.cli.simulate import simulate as run

    return run(settings, args)


def count(least: int):
    """An option type: a whole number of at least `least`."""
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < least:
            raise argparse.ArgumentTypeError(f"a whole number of at least {least}, not {text!r}")
        return int(text)
    return parse


def share(text: str) -> float:
    """An option type: a share between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share between 0 and 1, not {text!r}")
    return value


def staffing(text: str):
    """An option type: 2 (engineers on every shift), or day=2,night=3 (by shift name)."""
    if "=" not in text:
        return count(0)(text)
    pairs = [part.partition("=") for part in text.split(",")]
    return {name.strip(): count(0)(number.strip()) for name, _, number in pairs}


def _safe_url(url: str) -> str:
    """The URL without its password, fit for printing."""
    head, sep, tail = url.rpartition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, credentials = head.partition("//")
    return f"{scheme}//{credentials.split(':')[0]}:***@{tail}"

