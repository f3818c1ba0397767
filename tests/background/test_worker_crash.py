"""A worker killed mid-delivery: the next worker finishes the job, nothing lost or doubled."""
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from models.notifications import Notification
from tests.flows import report_leak
from tests.chat.test_concurrency import wait_until
from wechat_bot.background.worker import Worker
from wechat_bot.clock import Clock, ManualClock
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET

ROOT = Path(__file__).resolve().parents[2]
SEND = "/cgi-bin/message/template/send"


def worker_config(tmp_path, settings, redis_client) -> str:
    """A config that points a worker process at this test's database, Redis and emulator."""
    redis_url = os.environ.get("REDIS_URL") or f"unix://{redis_client.socket_file}"
    path = tmp_path / "worker.toml"
    path.write_text(f"""
[app]
data_dir = "{tmp_path}"
[wechat]
token = "t"
app_id = "{settings.wechat.app_id}"
app_secret = "{SANDBOX_SECRET}"
api_base_url = "{settings.wechat.api_base_url}"
[database]
url = "{settings.database.url}"
[redis]
url = "{redis_url}"
prefix = "{settings.redis.prefix}"
""", encoding="utf-8")
    return str(path)


def test_killed_mid_send_then_resent_once(tmp_path, settings, redis_db, chat, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, delay=2)  # WeChat takes the message but answers slowly
    process = subprocess.Popen([sys.executable, "run.py", "worker", "--config",
                                worker_config(tmp_path, settings, redis_db)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: sandbox.state.calls(SEND) or process.poll() is not None, timeout=30)
        assert process.poll() is None, process.stderr.read()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert Notification.get().status == "sending"  # claimed, never marked

    after_lease = Clock().now() + timedelta(seconds=settings.worker.lease_seconds + 1)
    Worker(settings, redis_db, ManualClock(after_lease)).run_until_idle()
    wait_until(lambda: all(c["errcode"] is not None for c in sandbox.state.calls(SEND)))

    calls = sandbox.state.calls(SEND)
    assert len(calls) == 2 and calls[0]["body"]["client_msg_id"] == calls[1]["body"]["client_msg_id"]
    assert len(sandbox.state.delivered_templates()) == 1
    note = Notification.get()
    assert note.status == "sent" and note.attempts == 1
