"""The emulator: tokens, template and customer-service messages, client_msg_id dedup."""
import re

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.sandbox_helpers import (ALICE, BOB, CREDENTIALS, TEMPLATE, control,  # noqa: F401
                                   errcodes, get, new_token, post, sandbox, token, wechat)


# ---- tokens ------------------------------------------------------------------------------------

def test_token_fetch_answers_like_wechat_and_the_token_works(sandbox):
    body = requests.get(sandbox.api_base_url + "token", params=CREDENTIALS, timeout=5).json()
    assert set(body) == {"access_token", "expires_in"} and body["expires_in"] == 7200
    assert re.fullmatch(r"[A-Za-z0-9_-]{100,}", body["access_token"])
    assert "tags" in get(sandbox, "tags/get", body["access_token"])


@pytest.mark.parametrize("change, errcode", [
    ({"appid": "wx_somebody_else"}, 40013),
    ({"secret": "wrong-secret"}, 40125),
    ({"grant_type": "authorization_code"}, 40002),
    ({"appid": ""}, 41002),
    ({"secret": ""}, 41004),
])
def test_bad_credentials_get_wechats_codes(sandbox, change, errcode):
    params = {**CREDENTIALS, **change}
    body = requests.get(sandbox.api_base_url + "token", params=params, timeout=5).json()
    assert body["errcode"] == errcode and "rid: " in body["errmsg"]
    stable = requests.post(sandbox.api_base_url + "stable_token", json=params, timeout=5).json()
    assert stable["errcode"] == errcode


def test_missing_unknown_and_expired_tokens(sandbox, token, clock):
    assert get(sandbox, "tags/get", "")["errcode"] == 41001
    assert requests.get(sandbox.api_base_url + "tags/get", timeout=5).json()["errcode"] == 41001
    assert get(sandbox, "tags/get", "not-a-token-we-issued")["errcode"] == 40001
    clock.advance(seconds=7199)
    assert "tags" in get(sandbox, "tags/get", token)
    clock.advance(seconds=1)
    body = get(sandbox, "tags/get", token)
    assert body["errcode"] == 42001 and body["errmsg"].startswith("access_token expired")


def test_a_new_fetch_leaves_the_old_token_five_minutes(sandbox, clock):
    old, new = new_token(sandbox), new_token(sandbox)
    assert old != new
    clock.advance(seconds=299)
    assert "tags" in get(sandbox, "tags/get", old)
    clock.advance(seconds=1)
    assert get(sandbox, "tags/get", old)["errcode"] == 40001  # "not latest"
    assert "tags" in get(sandbox, "tags/get", new)


def stable(sandbox, force_refresh=None) -> dict:
    body = dict(CREDENTIALS) if force_refresh is None else {**CREDENTIALS,
                                                             "force_refresh": force_refresh}
    return requests.post(sandbox.api_base_url + "stable_token", json=body, timeout=5).json()


def test_stable_token_stays_the_same_until_its_last_five_minutes(sandbox, clock):
    first = stable(sandbox)
    assert first["expires_in"] == 7200
    clock.advance(seconds=1000)
    again = stable(sandbox, force_refresh=False)
    assert again == {"access_token": first["access_token"], "expires_in": 6200}
    new_token(sandbox)  # /cgi-bin/token does not touch stable tokens
    clock.advance(seconds=5900)  # 300 s left: the platform renews, the old one runs out
    renewed = stable(sandbox)
    assert renewed["access_token"] != first["access_token"] and renewed["expires_in"] == 7200
    assert "tags" in get(sandbox, "tags/get", first["access_token"])
    clock.advance(seconds=300)
    assert get(sandbox, "tags/get", first["access_token"])["errcode"] == 42001
    assert "tags" in get(sandbox, "tags/get", renewed["access_token"])


def test_force_refresh_kills_the_old_stable_token_at_most_every_30_seconds(sandbox, clock):
    first = stable(sandbox)["access_token"]
    forced = stable(sandbox, force_refresh=True)["access_token"]
    assert forced != first and get(sandbox, "tags/get", first)["errcode"] == 40001
    assert stable(sandbox, force_refresh=True)["access_token"] == forced
    clock.advance(seconds=30)
    assert stable(sandbox, force_refresh=True)["access_token"] != forced


def test_stable_token_is_post_only_with_a_json_body(sandbox):
    assert requests.get(sandbox.api_base_url + "stable_token", params=CREDENTIALS,
                        timeout=5).json()["errcode"] == 43002
    assert requests.post(sandbox.api_base_url + "stable_token", timeout=5).json()["errcode"] \
        == 44002
    assert requests.post(sandbox.api_base_url + "stable_token", data=b"{not json",
                         timeout=5).json()["errcode"] == 47001


def test_controls_expire_and_invalidate_every_token(sandbox, token):
    assert control(sandbox, "tokens/expire", {}) == {"ok": True}
    assert get(sandbox, "tags/get", token)["errcode"] == 42001
    fresh = new_token(sandbox)
    assert "tags" in get(sandbox, "tags/get", fresh)
    assert control(sandbox, "tokens/invalidate", {}) == {"ok": True}
    assert get(sandbox, "tags/get", fresh)["errcode"] == 40001


@pytest.mark.parametrize("spoil, errcode", [("expire_tokens", 42001),
                                            ("invalidate_tokens", 40001)])
def test_wechatpy_refetches_its_token_after_a_token_error(sandbox, wechat, spoil, errcode):
    wechat.tag.get()
    getattr(sandbox.state, spoil)()
    assert wechat.tag.get()[0]["name"] == "星标组"
    assert errcodes(sandbox) == [0, 0, errcode, 0, 0]  # token, tags, refused, token, tags


# ---- template messages -------------------------------------------------------------------------

def test_template_send_delivers_and_records_without_the_token(sandbox, token):
    body = post(sandbox, "message/template/send", TEMPLATE, token)
    assert body["errcode"] == 0 and body["errmsg"] == "ok" and isinstance(body["msgid"], int)
    delivered = control(sandbox, "templates/delivered")["messages"]
    assert [(m["msgid"], m["touser"], m["data"]) for m in delivered] == \
        [(body["msgid"], ALICE, TEMPLATE["data"])]
    call = control(sandbox, "calls?path=/cgi-bin/message/template/send")["calls"][0]
    assert call["body"] == TEMPLATE and call["query"] == {} and call["errcode"] == 0
    assert call["method"] == "POST" and call["time"] == sandbox.state.now()


def test_unsubscribed_openid_gets_43004_and_can_follow_again(sandbox, token):
    assert control(sandbox, "users", {"unsubscribed": [ALICE]}) == {"ok": True}
    assert post(sandbox, "message/template/send", TEMPLATE, token)["errcode"] == 43004
    assert post(sandbox, "message/template/send", {**TEMPLATE, "touser": BOB}, token)["errcode"] \
        == 0
    control(sandbox, "users", {"subscribed": [ALICE]})
    assert post(sandbox, "message/template/send", TEMPLATE, token)["errcode"] == 0
    assert [m["touser"] for m in sandbox.state.delivered_templates()] == [BOB, ALICE]


@pytest.mark.parametrize("data, named", [
    ({"first": {"value": "您好"}, "thing2": {"value": "漏水"}}, "data.first"),
    ({"remark": {"value": "谢谢"}}, "data.remark"),
    ({"thing2": {"value": "漏水", "color": "#173177"}}, "data.thing2.color"),
    ({"thing2": {"value": "漏水\n很严重"}}, "data.thing2.value contains a line break"),
    ({"thing2": {"value": "一" * 21}}, "data.thing2.value is longer than 20"),
    ({"character_string1": {"value": "单号 BX1"}}, "data.character_string1.value"),
    ({"phrase4": {"value": "已派单了吗啊"}}, "data.phrase4.value"),
    ({"time3": {"value": "明天"}}, "data.time3.value is not a time"),
    ({"thing2": {"value": "灯坏了😀"}}, "emoji"),
])
def test_template_breaking_the_2023_rules_gets_47003_naming_the_field(sandbox, token, data,
                                                                      named):
    body = post(sandbox, "message/template/send", {**TEMPLATE, "data": data}, token)
    assert body["errcode"] == 47003
    assert body["errmsg"].startswith("argument invalid!") and named in body["errmsg"]
    assert sandbox.state.delivered_templates() == []


@pytest.mark.parametrize("change, errcode", [
    ({"touser": ""}, 40003), ({"template_id": ""}, 40037), ({"data": None}, 47003)])
def test_template_send_checks_its_arguments(sandbox, token, change, errcode):
    assert post(sandbox, "message/template/send", {**TEMPLATE, **change}, token)["errcode"] \
        == errcode


def test_bad_bodies_get_44002_and_47001(sandbox, token):
    url = sandbox.api_base_url + "message/template/send"
    assert requests.post(url, params={"access_token": token}, timeout=5).json()["errcode"] \
        == 44002
    assert requests.post(url, params={"access_token": token}, data=b"{oops",
                         timeout=5).json()["errcode"] == 47001
    assert requests.post(url, params={"access_token": token}, data=b"[1]",
                         timeout=5).json()["errcode"] == 47001


def test_same_client_msg_id_within_ten_minutes_is_delivered_once(sandbox, token, clock):
    message = {**TEMPLATE, "client_msg_id": "notify-42"}
    first = post(sandbox, "message/template/send", message, token)
    clock.advance(seconds=599)
    retry = post(sandbox, "message/template/send", message, token)
    assert retry == {**first, "errmsg": "ok"} and retry["msgid"] == first["msgid"]
    other = post(sandbox, "message/template/send", {**message, "touser": BOB}, token)
    assert other["msgid"] != first["msgid"]  # the key is openid + client_msg_id
    assert [m["msgid"] for m in sandbox.state.delivered_templates()] == \
        [first["msgid"], other["msgid"]]
    calls = sandbox.state.calls("/cgi-bin/message/template/send")
    assert [call["duplicate"] for call in calls] == [False, True, False]
    clock.advance(seconds=1)  # ten minutes on, WeChat no longer promises anything
    later = post(sandbox, "message/template/send", message, token)
    assert later["msgid"] not in (first["msgid"], other["msgid"])
    assert len(sandbox.state.delivered_templates()) == 3


def test_wechatpy_sends_templates_and_its_errors_carry_the_code(sandbox, wechat):
    result = wechat.message.send_template(ALICE, "tpl_dispatch_01", TEMPLATE["data"])
    assert result["errcode"] == 0 and result["msgid"]
    # wechatpy's send_template has no client_msg_id: the payload is posted through the client
    payload = {**TEMPLATE, "client_msg_id": "outbox-7"}
    again = [wechat.post("message/template/send", data=payload)["msgid"] for _ in range(2)]
    assert again[0] == again[1] and len(sandbox.state.delivered_templates()) == 2
    with pytest.raises(WeChatClientException) as failure:
        wechat.message.send_template(ALICE, "tpl_dispatch_01", {"remark": {"value": "谢谢"}})
    assert failure.value.errcode == 47003


# ---- customer-service messages -----------------------------------------------------------------

def test_custom_send_delivers_text_and_images_this_account_issued(sandbox, wechat, token):
    wechat.message.send_text(ALICE, "您的报修已受理")
    media_id = sandbox.state.issue_media()
    wechat.message.send_image(ALICE, media_id)
    assert [(m["msgtype"], m["touser"]) for m in sandbox.state.delivered_custom()] == \
        [("text", ALICE), ("image", ALICE)]
    assert control(sandbox, "custom/delivered")["messages"][0]["text"] == \
        {"content": "您的报修已受理"}
    image = {"touser": ALICE, "msgtype": "image", "image": {"media_id": "never-issued"}}
    assert post(sandbox, "message/custom/send", image, token)["errcode"] == 40007
    assert post(sandbox, "message/custom/send", {"touser": ALICE, "msgtype": "fax", "fax": {}},
                token)["errcode"] == 40008
    assert post(sandbox, "message/custom/send", {"msgtype": "text", "text": {"content": "x"}},
                token)["errcode"] == 40003
    sandbox.state.unsubscribe(ALICE)
    assert post(sandbox, "message/custom/send", {"touser": ALICE, "msgtype": "text",
                                                 "text": {"content": "x"}}, token)["errcode"] \
        == 43004


def test_delivered_templates_after_a_msgid_are_only_the_newer_ones(sandbox, token):
    first = post(sandbox, "message/template/send", TEMPLATE, token)["msgid"]
    second = post(sandbox, "message/template/send", {**TEMPLATE, "touser": BOB}, token)["msgid"]
    assert [m["msgid"] for m in sandbox.state.delivered_templates_after(0)] == [first, second]
    assert [m["touser"] for m in sandbox.state.delivered_templates_after(first)] == [BOB]
    assert sandbox.state.delivered_templates_after(second) == []
