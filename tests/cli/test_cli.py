"""run.py as an operator and a newcomer use it: invite, demo (make run) and chat."""
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
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
