"""python -m wechat_bot.sandbox --host 127.0.0.1 --port 5001 --app-id X --app-secret Y"""
from __future__ import annotations

import argparse
import os
import sys

from wechat_bot.logs import setup_logging
from wechat_bot.sandbox.server import SandboxServer


def main(argv: list[str] | None = None) -> int:
    """Serve the emulator in the foreground, one log line per call, until Ctrl-C."""
    args = _parser().parse_args(argv)
    setup_logging(args.log_level)
    server = SandboxServer(args.app_id, args.app_secret, args.host, args.port)
    print(f"WeChat API emulator for {args.app_id}: {server.api_base_url} "
          f"(controls under {server.url}/_sandbox/)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m wechat_bot.sandbox",
                                     description="the project's WeChat API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001, help="0 picks a free port")
    parser.add_argument("--app-id", default=os.environ.get("WECHAT_BOT_APP_ID") or
                        "wx0000000000000000")
    parser.add_argument("--app-secret", default=os.environ.get("WECHAT_BOT_APP_SECRET") or
                        "sandbox-secret")
    parser.add_argument("--log-level", default="INFO")
    return parser


if __name__ == "__main__":
    sys.exit(main())
