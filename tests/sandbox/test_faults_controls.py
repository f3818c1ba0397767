"""The emulator: planned faults, test controls, running it in process and from a shell."""
import io
import re
import shutil
import subprocess
import sys

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from tests.sandbox_helpers import (ALICE, APP_ID, BOB, CREDENTIALS, MENU, PROJECT_ROOT,  # noqa: F401
                                   SECRET, TEMPLATE, control, errcodes, get, new_token,
                                   post, sandbox, token, wechat, SandboxWeChatClient)
from wechat_bot.sandbox import SandboxServer, create_sandbox_app
from wechat_bot.sandbox.samples import SAMPLE_AMR, SAMPLE_JPEG


# ---- faults and controls -----------------------------------------------------------------------

@pytest.mark.parametrize("errcode", [-1, 45009, 45011])
def test_planned_errors_answer_n_times_then_the_api_works_again(sandbox, token, errcode):
    fault = {"path": "/cgi-bin/message/template/send", "errcode": errcode, "times": 2}
    assert control(sandbox, "faults", fault)["ok"] is True
    assert control(sandbox, "faults")["faults"] == [{**fault, "delay": 0.0}]
    answers = [post(sandbox, "message/template/send", TEMPLATE, token) for _ in range(3)]
    assert [body["errcode"] for body in answers] == [errcode, errcode, 0]
    assert "rid: " in answers[0]["errmsg"] and control(sandbox, "faults")["faults"] == []
    assert errcodes(sandbox, "/cgi-bin/message/template/send") == [errcode, errcode, 0]
    assert len(sandbox.state.delivered_templates()) == 1


def test_wechatpy_sees_a_planned_busy_error_as_an_exception(sandbox, wechat):
    sandbox.state.add_fault("/cgi-bin/tags/get", errcode=-1)
    with pytest.raises(WeChatClientException) as failure:
        wechat.tag.get()
    assert failure.value.errcode == -1
    assert wechat.tag.get()[0]["id"] == 2


def test_a_fault_on_every_path_and_on_the_token_endpoint(sandbox, token):
    sandbox.state.add_fault("*", errcode=45009, times=2)
    assert get(sandbox, "tags/get", token)["errcode"] == 45009
    assert requests.get(sandbox.api_base_url + "token", params=CREDENTIALS,
                        timeout=5).json()["errcode"] == 45009
    assert "access_token" in requests.get(sandbox.api_base_url + "token", params=CREDENTIALS,
                                          timeout=5).json()


def test_token_errors_come_before_planned_faults(sandbox):
    sandbox.state.add_fault("/cgi-bin/tags/get", errcode=-1)
    assert get(sandbox, "tags/get", "unknown-token")["errcode"] == 40001
    assert sandbox.state.pending_faults()[0]["times"] == 1


def test_a_held_answer_times_the_client_out_and_the_retry_goes_through(sandbox, token):
    control(sandbox, "faults", {"path": "/cgi-bin/message/template/send", "delay": 2.0})
    message = {**TEMPLATE, "client_msg_id": "outbox-1"}
    with pytest.raises(requests.Timeout):
        requests.post(sandbox.api_base_url + "message/template/send", json=message,
                      params={"access_token": token}, timeout=0.2)
    retry = post(sandbox, "message/template/send", message, token)
    assert retry["errcode"] == 0 and retry["msgid"]


def test_wechatpy_client_timeout_fires_on_a_held_answer(sandbox):
    slow = SandboxWeChatClient(sandbox.api_base_url, timeout=0.2)
    slow.fetch_access_token()
    sandbox.state.add_fault("/cgi-bin/tags/get", delay=2.0)
    with pytest.raises(requests.Timeout):
        slow.tag.get()


@pytest.mark.parametrize("fault, complaint", [
    ({"path": "/wechat", "errcode": -1}, "path"),
    ({"path": "/cgi-bin/tags/get"}, "errcode, a delay"),
    ({"path": "/cgi-bin/tags/get", "errcode": 0}, "errcode"),
    ({"path": "/cgi-bin/tags/get", "errcode": "busy"}, "errcode"),
    ({"path": "/cgi-bin/tags/get", "delay": 3600}, "delay"),
    ({"path": "/cgi-bin/tags/get", "errcode": -1, "times": 0}, "times"),
])
def test_bad_fault_requests_are_400_naming_the_problem(sandbox, fault, complaint):
    response = requests.post(f"{sandbox.url}/_sandbox/faults", json=fault, timeout=5)
    assert response.status_code == 400 and complaint in response.json()["error"]


def test_bad_control_requests_are_400(sandbox):
    for path, body in [("users", {"unsubscribed": "o_x"}), ("media", {"media_id": 5})]:
        assert requests.post(f"{sandbox.url}/_sandbox/{path}", json=body,
                             timeout=5).status_code == 400
    assert requests.post(f"{sandbox.url}/_sandbox/users", data=b"[1, 2]",
                         timeout=5).status_code == 400
    assert requests.get(f"{sandbox.url}/_sandbox/nothing-here", timeout=5).status_code == 404


def test_unknown_apis_and_wrong_methods_answer_wechat_style(sandbox, token):
    body = get(sandbox, "user/info", token, openid=ALICE)
    assert body["errcode"] == 48001 and "/cgi-bin/user/info" in body["errmsg"]
    assert get(sandbox, "message/template/send", token)["errcode"] == 43002
    assert post(sandbox, "tags/get", {}, token)["errcode"] == 43001
    assert errcodes(sandbox)[-3:] == [48001, 43002, 43001]


def test_records_never_hold_the_secret_or_the_token(sandbox, token):
    requests.post(sandbox.api_base_url + "stable_token", json=CREDENTIALS, timeout=5)
    get(sandbox, "tags/get", token)
    calls = control(sandbox, "calls")["calls"]
    assert [call["path"] for call in calls] == ["/cgi-bin/token", "/cgi-bin/stable_token",
                                                "/cgi-bin/tags/get"]
    assert calls[0]["query"]["secret"] == "***" and calls[1]["body"]["secret"] == "***"
    assert SECRET not in str(calls) and token not in str(calls)


def test_reset_forgets_everything(sandbox, wechat, token):
    wechat.menu.create(MENU)
    wechat.tag.create("engineer")
    post(sandbox, "message/template/send", TEMPLATE, token)
    sandbox.state.unsubscribe(BOB)
    sandbox.state.add_fault("/cgi-bin/tags/get", errcode=-1)
    assert control(sandbox, "reset", {}) == {"ok": True}
    assert control(sandbox, "calls")["calls"] == [] and sandbox.state.pending_faults() == []
    assert control(sandbox, "templates/delivered")["messages"] == []
    assert get(sandbox, "tags/get", token)["errcode"] == 40001  # tokens went too
    fresh = new_token(sandbox)
    assert get(sandbox, "tags/get", fresh)["tags"] == [{"id": 2, "name": "星标组", "count": 0}]
    assert get(sandbox, "menu/get", fresh)["errcode"] == 46003
    assert post(sandbox, "message/template/send", {**TEMPLATE, "touser": BOB}, fresh)["errcode"] \
        == 0


def test_control_index_tells_where_the_api_is(sandbox):
    info = control(sandbox, "")
    assert info["app_id"] == APP_ID and info["api_base_url"] == sandbox.api_base_url


# ---- in process and from a shell ---------------------------------------------------------------

def test_the_app_factory_works_in_process_with_its_state_in_extensions(clock):
    app = create_sandbox_app(APP_ID, SECRET, clock=clock)
    state, client = app.extensions["sandbox"], app.test_client()
    token = client.get("/cgi-bin/token", query_string=CREDENTIALS).get_json()["access_token"]
    state.unsubscribe(ALICE)
    body = client.post(f"/cgi-bin/message/template/send?access_token={token}",
                       json=TEMPLATE).get_json()
    assert body["errcode"] == 43004
    assert [call["errcode"] for call in state.calls()] == [0, 43004]


def test_python_m_wechat_bot_sandbox_serves_and_logs_one_line_per_call():
    command = [sys.executable, "-m", "wechat_bot.sandbox", "--port", "0", "--app-id", APP_ID,
               "--app-secret", SECRET]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline()
        base = re.search(r"(http://127\.0\.0\.1:\d+/cgi-bin/)", banner).group(1)
        token = requests.get(base + "token", params=CREDENTIALS, timeout=5).json()["access_token"]
        assert requests.get(base + "menu/get", params={"access_token": token},
                            timeout=5).json()["errcode"] == 46003
    finally:
        process.terminate()
        _, log = process.communicate(timeout=10)
    lines = [line for line in log.splitlines() if "wechat_bot.sandbox" in line]
    assert len(lines) == 2
    assert "GET /cgi-bin/token → errcode 0" in lines[0]
    assert "GET /cgi-bin/menu/get → errcode 46003" in lines[1]
