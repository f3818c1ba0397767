"""`run.py demo` (what `make run` starts): schema, demo catalogue, the WeChat API emulator, the
worker and the web server in one process, and everything stopped again on Ctrl-C or SIGTERM,
the embedded Redis server included (it runs as a process of its own and would outlive us)."""
from __future__ import annotations

import dataclasses
import signal
import threading
from urllib.parse import urlsplit

from wechat_bot.config import EXAMPLE_CONFIG, Settings


def demo(settings: Settings, args) -> int:
    """Start everything, serve until SIGINT or SIGTERM, then stop the worker and Redis."""
    from wechat_bot.background.wake import ring
    from wechat_bot.background.worker import Worker
    from wechat_bot.cli.commands import seed_demo, serve
    from wechat_bot.logs import setup_logging
    from wechat_bot.redis_conn import close_embedded, connect_redis
    from wechat_bot.wechat_api.gateway import api_base_url

    if args.sandbox_port is not None and settings.wechat.app_secret:
        print("demo: --sandbox-port moves the emulator, but this config has an app_secret: "
              "it talks to WeChat itself")
        return 2
    settings = with_sandbox_port(settings, args.sandbox_port)
    seed_demo(settings)
    base_url = api_base_url(settings)
    if not settings.wechat.app_secret:
        _start_sandbox(settings, base_url)
    setup_logging(settings.app.log_level, settings.app.timezone)  # the worker's lines too
    _stop_on_signals()  # before Redis starts: from here on a signal reaches the finally below
    client = connect_redis(settings.redis.url, settings.data_path,
                           read_timeout=settings.worker.poll_seconds + 5)  # the worker blocks
    try:
        worker = Worker(settings, client)
        thread = threading.Thread(target=worker.run_forever, name="worker", daemon=True)
        thread.start()
        print(banner(settings, args, base_url), flush=True)
        serve(settings, args, client)
        worker.stop.set()
        ring(client, settings.redis.prefix)  # end its wait now, not a poll later
        thread.join(timeout=15)
    except KeyboardInterrupt:
        pass  # a signal during start-up
    finally:
        close_embedded(client)
    return 0


def with_sandbox_port(settings: Settings, port) -> Settings:
    """The settings with the emulator (api_base_url) on `port`; as they are when None."""
    if port is None:
        return settings
    wechat = dataclasses.replace(settings.wechat, api_base_url=f"http://127.0.0.1:{port}")
    return dataclasses.replace(settings, wechat=wechat)


def _stop_on_signals() -> None:
    """SIGTERM and SIGINT both end the web server like Ctrl-C does, even when the shell that
    started us in the background told SIGINT to be ignored."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, interrupt)


def _start_sandbox(settings: Settings, base_url: str) -> None:
    """The built-in WeChat API emulator where the config says the API is."""
    from wechat_bot.sandbox.server import SandboxServer
    from wechat_bot.wechat_api.gateway import SANDBOX_SECRET

    where = urlsplit(base_url)
    SandboxServer(settings.wechat.app_id, SANDBOX_SECRET, where.hostname, where.port).start()


def banner(settings: Settings, args, api: str) -> str:
    """What a newcomer reads at start: where things are, and commands to paste as they are."""
    config = "" if settings.source == str(EXAMPLE_CONFIG) else f" --config {settings.source}"
    return BANNER.format(host=args.host, port=args.port, api=api, config=config)


BANNER = """
报修 bot is starting on http://{host}:{port}
  webhook:  http://{host}:{port}/wechat     health: http://{host}:{port}/healthz
  WeChat API: {api} (what it received: {api}/_sandbox/calls)   worker: running
Chat with it from another terminal, as a WeChat user would:
  .venv/bin/python run.py chat{config} --openid o_demo_reporter_0001 --url http://{host}:{port}/wechat
Type 报修 to start; /help in the chat lists /image, /voice, /click and the other tricks.
To play an engineer: .venv/bin/python run.py invite{config} --role engineer --name 王师傅 --skills 水电,空调
then chat with another --openid and send 绑定 <code>; dispatched jobs arrive as template messages.
Stop with Ctrl-C (or SIGTERM): the worker, the emulator and the embedded Redis stop with it.
"""
