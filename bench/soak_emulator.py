"""The WeChat API emulator for the soak run: its own process, times to the millisecond.

`python bench/soak_emulator.py PORT`. The emulator's clock counts whole seconds, too coarse for
a notice that takes 50 ms; this one keeps the fraction, so a delivered template's "time" is
when it arrived. The record limit is raised so a long run keeps every message.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wechat_bot.clock import Clock  # noqa: E402
from wechat_bot.sandbox import state  # noqa: E402
from wechat_bot.sandbox.server import SandboxServer  # noqa: E402

APP_ID, APP_SECRET = "wx0000000000000000", "sandbox-secret"


class FractionClock(Clock):
    """Unix time with its fraction (token lifetimes and dedup windows work the same)."""

    def timestamp(self) -> float:
        return time.time()


def main(port: int) -> None:
    """Serve until killed."""
    state.MAX_RECORDS = 1_000_000
    server = SandboxServer(APP_ID, APP_SECRET, port=port, clock=FractionClock())
    print(f"emulator on {server.url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
