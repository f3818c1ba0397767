"""The emulator's /cgi-bin/qrcode/create, and the gateway's permanent scene codes against it."""
import pytest
import requests

from tests.sandbox_helpers import (APP_ID, SECRET, control, errcodes, new_token,  # noqa: F401
                                   post, sandbox, token)
from wechat_bot.wechat_api.gateway import PermanentError, TransientError, WechatGateway

PATH = "/cgi-bin/qrcode/create"


def permanent(scene) -> dict:
    return {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}}


@pytest.fixture
def gateway(sandbox, redis_db) -> WechatGateway:
    return WechatGateway(APP_ID, SECRET, sandbox.url, redis_db, "tq:", timeout=2)


# ---- the emulator ----------------------------------------------------------------------------

def test_a_permanent_string_scene_code_has_a_ticket_and_url_and_no_expiry(sandbox, token):
    first = post(sandbox, "qrcode/create", permanent("loc:12"), token)
    second = post(sandbox, "qrcode/create", permanent("dev:3"), token)
    assert set(first) == {"ticket", "url"}
    assert first["url"].startswith("http://weixin.qq.com/q/") and first["ticket"]
    assert first["ticket"] != second["ticket"] and first["url"] != second["url"]
    issued = sandbox.state.issued_qrcodes()
    assert [(q["action_name"], q["scene_str"], q["url"]) for q in issued] == [
        ("QR_LIMIT_STR_SCENE", "loc:12", first["url"]),
        ("QR_LIMIT_STR_SCENE", "dev:3", second["url"])]


def test_a_temporary_string_scene_code_says_when_it_expires(sandbox, token):
    body = {"expire_seconds": 3600, "action_name": "QR_STR_SCENE",
            "action_info": {"scene": {"scene_str": "loc:12"}}}
    answer = post(sandbox, "qrcode/create", body, token)
    assert set(answer) == {"ticket", "expire_seconds", "url"}
    assert answer["expire_seconds"] == 3600


@pytest.mark.parametrize("scene, errcode", [
    ("x", 0), ("x" * 64, 0), ("报修点", 0), ("x" * 65, 40053), ("", 40053), (12, 40053),
    (None, 40053), (["loc:1"], 40053)])
def test_scene_str_takes_1_to_64_characters(sandbox, token, scene, errcode):
    assert post(sandbox, "qrcode/create", permanent(scene), token).get("errcode", 0) == errcode


@pytest.mark.parametrize("body, errcode", [
    ({"action_name": "QR_LIMIT_STR_SCENE"}, 40053),
    ({"action_name": "QR_LIMIT_STR_SCENE", "action_info": "loc:1"}, 40053),
    ({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": "loc:1"}}, 40053),
    ({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_id": 5}}}, 40053),
    ({"action_name": "qr_limit_str_scene", "action_info": {"scene": {"scene_str": "a"}}}, 40052),
    ({"action_info": {"scene": {"scene_str": "a"}}}, 40052),
])
def test_invalid_action_names_and_infos(sandbox, token, body, errcode):
    answer = post(sandbox, "qrcode/create", body, token)
    assert answer["errcode"] == errcode and "rid: " in answer["errmsg"]
    assert sandbox.state.issued_qrcodes() == []


def test_bodies_that_are_not_json_objects(sandbox, token):
    url = sandbox.api_base_url + "qrcode/create"
    empty = requests.post(url, params={"access_token": token}, data=b"", timeout=5).json()
    broken = requests.post(url, params={"access_token": token}, data=b"{", timeout=5).json()
    assert (empty["errcode"], broken["errcode"]) == (44002, 47001)
    got = requests.get(url, params={"access_token": token}, timeout=5).json()
    assert got["errcode"] == 43002  # POST only


def test_token_errors(sandbox, token, clock):
    assert post(sandbox, "qrcode/create", permanent("a"), "")["errcode"] == 41001
    assert post(sandbox, "qrcode/create", permanent("a"), "forged")["errcode"] == 40001
    clock.advance(hours=2, seconds=1)
    assert post(sandbox, "qrcode/create", permanent("a"), token)["errcode"] == 42001
    assert sandbox.state.issued_qrcodes() == []


def test_planned_faults_apply_to_qrcode_create(sandbox, token):
    control(sandbox, "faults", {"path": PATH, "errcode": 45009, "times": 2})
    answers = [post(sandbox, "qrcode/create", permanent("a"), token) for _ in range(3)]
    assert [a.get("errcode", 0) for a in answers] == [45009, 45009, 0]
    assert errcodes(sandbox, PATH) == [45009, 45009, 0]
    assert len(control(sandbox, "qrcodes")["qrcodes"]) == 1


# ---- the gateway -----------------------------------------------------------------------------

def test_the_gateway_creates_a_permanent_string_scene_code(sandbox, gateway):
    created = gateway.create_scene_qrcode("loc:12")
    assert set(created) == {"ticket", "url"}
    [call] = sandbox.state.calls(PATH)
    assert call["body"] == permanent("loc:12") and call["errcode"] == 0
    assert sandbox.state.issued_qrcodes()[0]["url"] == created["url"]


def test_the_gateway_refreshes_a_rejected_token_once_and_retries(sandbox, gateway):
    gateway.create_scene_qrcode("loc:1")
    sandbox.state.invalidate_tokens()
    assert gateway.create_scene_qrcode("loc:2")["url"]
    assert errcodes(sandbox, PATH) == [0, 40001, 0]
    sandbox.state.add_fault(PATH, errcode=40001, times=2)
    with pytest.raises(TransientError):
        gateway.create_scene_qrcode("loc:3")  # rejected twice: no third try
    assert errcodes(sandbox, PATH)[3:] == [40001, 40001]


def test_the_gateway_types_its_failures(sandbox, gateway):
    sandbox.state.add_fault(PATH, errcode=-1)
    with pytest.raises(TransientError) as busy:
        gateway.create_scene_qrcode("loc:1")
    assert busy.value.errcode == -1
    with pytest.raises(PermanentError) as refused:
        gateway.create_scene_qrcode("x" * 65)
    assert refused.value.errcode == 40053
    sandbox.state.add_fault(PATH, delay=2.5)
    with pytest.raises(TransientError) as slow:
        gateway.create_scene_qrcode("loc:1")
    assert slow.value.errcode is None and "Timeout" in slow.value.errmsg
