"""The app as the README deploys it, for tests that need real processes: the example config
pointed at the test's database and Redis, gunicorn -w 2 serving it, signed messages sent to it."""
import os
import re
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.chat.test_concurrency import wait_until
from tests.cli.test_cli import free_port
from tests.wechat_sim import APP_ID, TOKEN
from wechat_bot.cli.chat_client import WechatSigner

ROOT = Path(__file__).resolve().parent.parent


def example_config(tmp_path: Path, name: str, database_url: str, redis_client, **app) -> str:
    """config.example.toml with this test's data dir, token, database and Redis (its key
    prefix "t:"), plus any other top-level `key = value` given; the file's path."""
    redis_url = os.environ.get("REDIS_URL") or f"unix://{redis_client.socket_file}"
    values = {"data_dir": str(tmp_path), "token": TOKEN, "app_id": APP_ID, **app, "prefix": "t:"}
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for key, value in values.items():
        text = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', text, count=1, flags=re.M)
    text = text.replace('url = "sqlite:///var/baoxiu.db"', f'url = "{database_url}"')
    text = text.replace('\nurl = ""', f'\nurl = "{redis_url}"', 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@contextmanager
def serving(config: str, worker: bool = False):
    """gunicorn -w 2 serving `config` (and one `run.py worker` when asked); its base URL.
    What they print goes to logs beside the config (see log_tail)."""
    port = free_port()
    env = {**os.environ, "WECHAT_BOT_CONFIG": config}
    processes = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "wechat_bot:create_app()"], cwd=ROOT, env=env,
        stdout=_log(config, "web"), stderr=subprocess.STDOUT)]
    if worker:
        processes.append(subprocess.Popen(
            [sys.executable, "run.py", "worker", "--config", config], cwd=ROOT,
            stdout=_log(config, "worker"), stderr=subprocess.STDOUT))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(base), timeout=60)
        yield base
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def _log(config: str, name: str):
    return open(Path(config).with_suffix(f".{name}.log"), "ab")


def log_tail(config: str, name: str, lines: int = 30) -> str:
    """The last lines the web server ("web") or the worker ("worker") of `config` printed."""
    path = Path(config).with_suffix(f".{name}.log")
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def answers(base: str) -> bool:
    """True once the server's /healthz says 200."""
    try:
        return requests.get(f"{base}/healthz", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or a worker still booting
        return False


def say(base: str, openid: str, text: str) -> str:
    """Send `text` as `openid`, signed as WeChat signs it; the reply's text."""
    signer = WechatSigner(TOKEN)
    signed = signer.sign(signer.message_xml(openid, "text", Content=text), openid)
    response = requests.post(f"{base}/wechat?{signed.query}", data=signed.body, timeout=10)
    assert response.status_code == 200
    return signer.read_reply(response.content).get("Content", "")
