"""The emulator: menus, tags, media and QR codes."""
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
                                   post, sandbox, token, wechat)
from wechat_bot.sandbox import SandboxServer, create_sandbox_app
from wechat_bot.sandbox.samples import SAMPLE_AMR, SAMPLE_JPEG


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
