"""The WeChat API emulator over real HTTP on loopback: every endpoint, its error codes, the
client_msg_id dedup, token expiry by the manual clock, planned faults and the test controls."""
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat_bot.sandbox import SandboxServer, create_sandbox_app
from wechat_bot.sandbox.samples import SAMPLE_AMR, SAMPLE_JPEG

APP_ID, SECRET = "wx5a4db0x000000001", "sandbox-test-secret"
CREDENTIALS = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
ALICE, BOB = "o_sandbox_alice_0001", "o_sandbox_bob_00002"
TEMPLATE = {"touser": ALICE, "template_id": "tpl_dispatch_01",
            "data": {"character_string1": {"value": "BX202611260007"},
                     "thing2": {"value": "3号楼201 水龙头漏水"},
                     "time3": {"value": "2026-11-26 09:30"}}}
MENU = {"button": [{"type": "click", "name": "报修", "key": "REPORT"},
                   {"type": "click", "name": "我的报修", "key": "MY_ORDERS"},
                   {"name": "更多", "sub_button": [
                       {"type": "click", "name": "帮助", "key": "HELP"},
                       {"type": "view", "name": "网站", "url": "https://example.edu/"}]}]}
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sandbox(clock):
    """The emulator on a free loopback port, timed by the test's manual clock."""
    with SandboxServer(APP_ID, SECRET, clock=clock) as server:
        yield server


@pytest.fixture
def token(sandbox) -> str:
    return new_token(sandbox)


class SandboxWeChatClient(WeChatClient):
    """wechatpy pointed at the emulator: its base URL and its token URL are WeChat's otherwise."""

    def __init__(self, base_url: str, secret: str = SECRET, **kwargs):
        super().__init__(APP_ID, secret, **kwargs)
        self.API_BASE_URL = base_url

    def fetch_access_token(self):
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


@pytest.fixture
def wechat(sandbox) -> SandboxWeChatClient:
    return SandboxWeChatClient(sandbox.api_base_url, timeout=5)


def new_token(sandbox) -> str:
    return requests.get(sandbox.api_base_url + "token", params=CREDENTIALS, timeout=5) \
        .json()["access_token"]


def post(sandbox, path: str, body, token: str, **kwargs) -> dict:
    response = requests.post(sandbox.api_base_url + path, params={"access_token": token},
                             json=body, timeout=5, **kwargs)
    assert response.status_code == 200
    return response.json()


def get(sandbox, path: str, token: str, **params) -> dict:
    params["access_token"] = token
    response = requests.get(sandbox.api_base_url + path, params=params, timeout=5)
    assert response.status_code == 200
    return response.json()


def control(sandbox, path: str, body=None) -> dict:
    if body is None:
        return requests.get(f"{sandbox.url}/_sandbox/{path}", timeout=5).json()
    return requests.post(f"{sandbox.url}/_sandbox/{path}", json=body, timeout=5).json()


def errcodes(sandbox, path: str = "") -> list:
    calls = control(sandbox, f"calls?path={path}" if path else "calls")["calls"]
    return [call["errcode"] for call in calls]


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


# ---- menus -------------------------------------------------------------------------------------

def test_menu_create_get_and_delete_through_wechatpy(wechat):
    assert wechat.menu.get() is None  # 46003, which wechatpy turns into None
    assert wechat.menu.create(MENU)["errcode"] == 0
    menu = wechat.menu.get()["menu"]["button"]
    assert [button["name"] for button in menu] == ["报修", "我的报修", "更多"]
    assert menu[0] == {"type": "click", "name": "报修", "key": "REPORT", "sub_button": []}
    assert [sub["key"] for sub in menu[2]["sub_button"] if "key" in sub] == ["HELP"]
    assert wechat.menu.delete()["errcode"] == 0  # wechatpy deletes with GET
    assert wechat.menu.get() is None


def leaf(name="按钮", **fields):
    return {"type": "click", "name": name, "key": "K", **fields}


@pytest.mark.parametrize("buttons, errcode", [
    ([], 40016),
    ([leaf(), leaf(), leaf(), leaf()], 40016),
    ([{"name": "更多", "sub_button": [leaf()] * 6}], 40023),
    ([{"name": "更多", "sub_button": {"list": [leaf()]}}], 40023),
    ([leaf(name="一二三四五六")], 40018),
    ([{"name": "更多", "sub_button": [leaf(name="长" * 21)]}], 40025),
    ([{"type": "teleport", "name": "x", "key": "K"}], 40017),
    ([{"name": "更多", "sub_button": [{"type": "teleport", "name": "x"}]}], 40024),
    ([{"type": "click", "name": "x"}], 40019),
    ([leaf(key="K" * 129)], 40019),
    ([{"type": "view", "name": "x"}], 40020),
    ([{"name": "更多", "sub_button": [{"type": "view", "name": "x", "url": ""}]}], 40027),
])
def test_menu_create_refuses_what_wechat_refuses(sandbox, token, buttons, errcode):
    assert post(sandbox, "menu/create", {"button": buttons}, token)["errcode"] == errcode
    assert get(sandbox, "menu/get", token)["errcode"] == 46003


def test_conditional_menus_per_tag(sandbox, wechat, token):
    role_menu = {"button": [leaf("我的工单", key="ENG_TASKS")]}
    engineers = wechat.tag.create("engineer")["id"]
    assert post(sandbox, "menu/addconditional", {**role_menu, "matchrule": {"tag_id": "100"}},
                token)["errcode"] == 65303  # no default menu yet
    wechat.menu.create(MENU)
    for rule, errcode in [({}, 65304), ({"tag_id": ""}, 65304), ({"tag_id": "999"}, 40050)]:
        assert post(sandbox, "menu/addconditional", {**role_menu, "matchrule": rule},
                    token)["errcode"] == errcode
    menuid = wechat.menu.add_conditional({**role_menu,
                                          "matchrule": {"tag_id": str(engineers)}})["menuid"]
    assert isinstance(menuid, str) and menuid.isdigit()
    shown = wechat.menu.get()["conditionalmenu"]
    assert [(m["menuid"], m["matchrule"], m["button"][0]["key"]) for m in shown] == \
        [(int(menuid), {"tag_id": str(engineers)}, "ENG_TASKS")]
    assert wechat.menu.del_conditional(menuid)["errcode"] == 0
    assert "conditionalmenu" not in wechat.menu.get()
    assert post(sandbox, "menu/delconditional", {"menuid": menuid}, token)["errcode"] == 65301
    assert post(sandbox, "menu/delete", None, token)["errcode"] == 0  # POST works too


# ---- tags --------------------------------------------------------------------------------------

def test_tags_through_wechatpy(sandbox, wechat):
    engineers, leaders = wechat.tag.create("engineer"), wechat.tag.create("领导")
    assert engineers == {"id": 100, "name": "engineer"} and leaders["id"] == 101
    wechat.tag.tag_user(100, [ALICE, BOB])
    wechat.tag.tag_user(101, ALICE)
    assert wechat.tag.get_user_tag(ALICE) == [100, 101]
    assert {tag["name"]: tag["count"] for tag in wechat.tag.get()} == \
        {"星标组": 0, "engineer": 2, "领导": 1}
    wechat.tag.untag_user(100, ALICE)
    assert wechat.tag.get_user_tag(ALICE) == [101] and wechat.tag.get_user_tag("o_nobody") == []


@pytest.mark.parametrize("path, body, errcode", [
    ("tags/create", {"tag": {"name": "engineer"}}, 45157),  # the name is taken
    ("tags/create", {"tag": {"name": ""}}, 45157),
    ("tags/create", {"tag": {"name": "长" * 11}}, 45158),  # 33 bytes
    ("tags/members/batchtagging", {"tagid": 999, "openid_list": [ALICE]}, 45159),
    ("tags/members/batchtagging", {"tagid": 100, "openid_list": []}, 40032),
    ("tags/members/batchtagging", {"tagid": 100, "openid_list": [f"o_{n}" for n in range(51)]},
     40032),
    ("tags/members/batchuntagging", {"tagid": "x", "openid_list": [ALICE]}, 45159),
    ("tags/getidlist", {}, 40003),
])
def test_tag_errors(sandbox, token, path, body, errcode):
    post(sandbox, "tags/create", {"tag": {"name": "engineer"}}, token)
    assert post(sandbox, path, body, token)["errcode"] == errcode


def test_tag_limits_per_account_and_per_user(sandbox, token):
    ids = [post(sandbox, "tags/create", {"tag": {"name": f"t{n}"}}, token)["tag"]["id"]
           for n in range(99)]  # with 星标组, 100 tags
    assert post(sandbox, "tags/create", {"tag": {"name": "one-more"}}, token)["errcode"] == 45056
    for tag_id in ids[:20]:
        post(sandbox, "tags/members/batchtagging", {"tagid": tag_id, "openid_list": [ALICE]},
             token)
    assert post(sandbox, "tags/members/batchtagging", {"tagid": ids[20], "openid_list": [ALICE]},
                token)["errcode"] == 45059


# ---- media -------------------------------------------------------------------------------------

def jpeg_size(data: bytes) -> tuple:
    """(width, height) from the SOF0 segment, walking the segments as a decoder does."""
    assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"
    position = 2
    while data[position] == 0xFF and data[position + 1] != 0xDA:
        marker = data[position + 1]
        if marker == 0xC0:
            height = int.from_bytes(data[position + 5:position + 7], "big")
            return int.from_bytes(data[position + 7:position + 9], "big"), height
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    raise AssertionError("no baseline frame header before the scan")


def test_issued_media_is_served_as_a_real_jpeg(sandbox, token):
    media_id = control(sandbox, "media", {})["media_id"]
    response = requests.get(sandbox.api_base_url + "media/get", timeout=5,
                            params={"access_token": token, "media_id": media_id})
    assert response.headers["Content-Type"] == "image/jpeg"
    assert f'filename="{media_id}.jpg"' in response.headers["Content-disposition"]
    assert response.content == SAMPLE_JPEG and jpeg_size(response.content) == (64, 48)
    if shutil.which("file"):
        described = subprocess.run(["file", "-b", "-"], input=response.content,
                                   capture_output=True, check=True).stdout.decode()
        assert described.startswith("JPEG image data") and "64x48" in described


def test_media_ids_a_test_chooses_and_voice(sandbox, token):
    assert sandbox.state.issue_media(media_id="media_from_chat_01") == "media_from_chat_01"
    photo = requests.get(sandbox.api_base_url + "media/get", timeout=5, params={
        "access_token": token, "media_id": "media_from_chat_01"})
    assert photo.content == SAMPLE_JPEG
    voice_id = control(sandbox, "media", {"type": "voice"})["media_id"]
    voice = requests.get(sandbox.api_base_url + "media/get", timeout=5,
                         params={"access_token": token, "media_id": voice_id})
    assert voice.headers["Content-Type"] == "audio/amr" and voice.content == SAMPLE_AMR
    assert requests.post(f"{sandbox.url}/_sandbox/media", json={"type": "video"},
                         timeout=5).status_code == 400


def test_unknown_and_three_day_old_media_get_40007(sandbox, token, clock):
    media_id = sandbox.state.issue_media()
    assert get(sandbox, "media/get", token, media_id="never-issued")["errcode"] == 40007
    assert get(sandbox, "media/get", token)["errcode"] == 41006
    clock.advance(days=3)
    body = get(sandbox, "media/get", new_token(sandbox), media_id=media_id)
    assert body["errcode"] == 40007 and body["errmsg"].startswith("invalid media_id")


def test_upload_then_download_the_same_bytes_through_wechatpy(sandbox, wechat):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    uploaded = wechat.media.upload("image", ("leak.png", io.BytesIO(png), "image/png"))
    assert uploaded["type"] == "image" and uploaded["created_at"] == sandbox.state.now()
    assert len(uploaded["media_id"]) == 64
    downloaded = wechat.media.download(uploaded["media_id"])
    assert downloaded.content == png and downloaded.headers["Content-Type"] == "image/png"
    call = sandbox.state.calls("/cgi-bin/media/upload")[0]
    assert call["query"] == {"type": "image"}
    assert call["body"] == {"files": {"media": {"filename": "leak.png",
                                                "content_type": "image/png", "size": 48}}}


@pytest.mark.parametrize("kind, data, errcode", [
    ("sticker", SAMPLE_JPEG, 40004),
    ("image", b"just some text", 40005),
    ("thumb", b"\x89PNG\r\n\x1a\n", 40005),  # thumbs are JPEG only
    ("image", b"", 44001),
    ("thumb", SAMPLE_JPEG + b"\x00" * 64 * 1024, 40012),
])
def test_upload_errors(sandbox, token, kind, data, errcode):
    response = requests.post(sandbox.api_base_url + "media/upload", timeout=5,
                             params={"access_token": token, "type": kind},
                             files={"media": ("f.jpg", io.BytesIO(data), "image/jpeg")})
    assert response.json()["errcode"] == errcode


def test_upload_without_the_media_field_gets_41005(sandbox, token):
    response = requests.post(sandbox.api_base_url + "media/upload", timeout=5,
                             params={"access_token": token, "type": "image"},
                             files={"file": ("f.jpg", io.BytesIO(SAMPLE_JPEG), "image/jpeg")})
    assert response.json()["errcode"] == 41005


# ---- QR codes ----------------------------------------------------------------------------------

def test_qrcodes_temporary_and_permanent(sandbox, wechat, token):
    temporary = wechat.qrcode.create({"expire_seconds": 604800, "action_name": "QR_SCENE",
                                      "action_info": {"scene": {"scene_id": 123}}})
    assert set(temporary) == {"ticket", "expire_seconds", "url"}
    assert temporary["expire_seconds"] == 604800 and temporary["url"].startswith("http://weixin")
    permanent = post(sandbox, "qrcode/create", {"action_name": "QR_LIMIT_STR_SCENE",
                                                "action_info": {"scene": {"scene_str": "inv"}}},
                     token)
    assert set(permanent) == {"ticket", "url"}  # permanent codes do not expire
    short = post(sandbox, "qrcode/create", {"action_name": "QR_STR_SCENE",
                                            "action_info": {"scene": {"scene_str": "s"}}}, token)
    assert short["expire_seconds"] == 30  # WeChat's default
    long = post(sandbox, "qrcode/create", {"expire_seconds": 10 ** 9, "action_name": "QR_SCENE",
                                           "action_info": {"scene": {"scene_id": 1}}}, token)
    assert long["expire_seconds"] == 2592000
    issued = control(sandbox, "qrcodes")["qrcodes"]
    assert [(q["action_name"], q.get("scene_id", q.get("scene_str"))) for q in issued] == \
        [("QR_SCENE", 123), ("QR_LIMIT_STR_SCENE", "inv"), ("QR_STR_SCENE", "s"), ("QR_SCENE", 1)]


@pytest.mark.parametrize("body, errcode", [
    ({"action_name": "QR_FOREVER", "action_info": {"scene": {"scene_id": 1}}}, 40052),
    ({"action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": 100001}}}, 40053),
    ({"action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": 0}}}, 40053),
    ({"action_name": "QR_SCENE", "action_info": {"scene": {"scene_str": "x"}}}, 40053),
    ({"action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "x" * 65}}}, 40053),
    ({"action_name": "QR_STR_SCENE"}, 40053),
])
def test_qrcode_errors(sandbox, token, body, errcode):
    assert post(sandbox, "qrcode/create", body, token)["errcode"] == errcode


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
