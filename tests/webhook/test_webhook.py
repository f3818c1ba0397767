"""The /wechat endpoint: verification, the three modes, and every kind of bad request."""
import xml.etree.ElementTree as ET

import pytest

from models.people import User
from tests.wechat_sim import Chat
from wechat_bot.cli.chat_client import WechatSigner
from wechat_bot.webhook.signing import sign


def test_server_verification_echoes_only_when_signed(client):
    good = f"signature={sign('test-token', '1700000000', 'n1')}&timestamp=1700000000&nonce=n1"
    assert client.get(f"/wechat?{good}&echostr=abc123").data == b"abc123"
    bad = client.get("/wechat?signature=deadbeef&timestamp=1700000000&nonce=n1&echostr=x")
    assert (bad.status_code, bad.data) == (403, b"")
    assert client.get("/wechat?echostr=x").status_code == 403


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
def test_each_mode_gets_a_readable_reply(client, mode):
    chat = Chat(client, "o_mode_user_00001", mode=mode)
    assert "请描述一下是什么问题" in chat.say("报修")
    body = chat.last_response.data
    if mode == "plain":
        assert b"<Encrypt>" not in body
    else:
        assert b"<Encrypt>" in body and b"<MsgSignature>" in body and "报修".encode() not in body


def test_forged_signature_is_403_and_nothing_is_processed(client):
    signer = WechatSigner("not-our-token")
    signed = signer.sign(signer.message_xml("o_forger_000001", "text", Content="报修"), "o_forger_000001")
    response = client.post(f"/wechat?{signed.query}", data=signed.body)
    assert (response.status_code, response.data) == (403, b"")
    response = client.post("/wechat", data=signed.body)
    assert (response.status_code, response.data) == (403, b"")
    assert User.select().count() == 0


def test_forged_msg_signature_in_safe_mode_is_403(client):
    signer = WechatSigner("test-token", "wx2c2769f8efd9abc2",
                          "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "safe")
    signed = signer.sign(signer.message_xml("o_forger_000002", "text", Content="报修"), "o_forger_000002")
    query = signed.query.replace("msg_signature=", "msg_signature=00")
    assert client.post(f"/wechat?{query}", data=signed.body).status_code == 403
    assert User.select().count() == 0


def test_stale_timestamp_is_refused_when_the_check_is_on(tmp_path, database_url, clock,
                                                         database, redis_db):
    from tests.conftest import make_settings
    from wechat_bot import create_app
    app = create_app(make_settings(tmp_path, database_url, max_timestamp_skew=300),
                     clock=clock, redis_client=redis_db)
    signer = WechatSigner("test-token")
    xml = signer.message_xml("o_replay_000001", "text", Content="报修")
    stale = signer.sign(xml, "o_replay_000001", timestamp=clock.timestamp() - 301)
    fresh = signer.sign(xml, "o_replay_000001", timestamp=clock.timestamp() - 10)
    client = app.test_client()
    assert client.post(f"/wechat?{stale.query}", data=stale.body).status_code == 403
    assert client.post(f"/wechat?{fresh.query}", data=fresh.body).status_code == 200


BAD_BODIES = {
    "empty": b"",
    "malformed": b"<xml><ToUserName>gh</ToUserName>",
    "not xml": "报修".encode(),
    "entity": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
               b"<xml><ToUserName>&a;</ToUserName><FromUserName>o</FromUserName>"
               b"<CreateTime>1</CreateTime><MsgType>text</MsgType></xml>"),
    "missing fields": b"<xml><ToUserName>gh</ToUserName><MsgType>text</MsgType></xml>",
    "wrong root": b"<message><MsgType>text</MsgType></message>",
    "nested field": (b"<xml><ToUserName>gh</ToUserName><FromUserName><a>1</a></FromUserName>"
                     b"<CreateTime>1</CreateTime><MsgType>text</MsgType></xml>"),
    "bad time": (b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
                 b"<CreateTime>yesterday</CreateTime><MsgType>text</MsgType></xml>"),
    "gbk declared": (b'<?xml version="1.0" encoding="gbk"?><xml><ToUserName>gh</ToUserName>'
                     b"<FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
                     b"<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>"),
    "sender twice": (b"<xml><ToUserName>gh</ToUserName><FromUserName>o_victim</FromUserName>"
                     b"<FromUserName>o_attacker</FromUserName><CreateTime>1</CreateTime>"
                     b"<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>"),
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_bad_bodies_are_400_without_a_trace(client, name, mode):
    signer = WechatSigner("test-token", "wx2c2769f8efd9abc2",
                          "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", mode)
    body = BAD_BODIES[name].decode()
    signed = signer.sign(body, "o_bad_000001") if (mode == "safe" and body) else None
    if signed is None:
        signed = WechatSigner("test-token").sign(body, "o_bad_000001")
    response = client.post(f"/wechat?{signed.query}", data=signed.body)
    assert response.status_code == 400
    assert response.data == b""
    assert User.select().count() == 0


UTF16_ENTITY = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "报修">]>'
                "<xml><ToUserName>gh</ToUserName><FromUserName>o_utf16_0001</FromUserName>"
                "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&a;</Content>"
                "<MsgId>7</MsgId></xml>")


@pytest.mark.parametrize("body", [UTF16_ENTITY.encode("utf-16"), UTF16_ENTITY.encode("utf-16-le"),
                                  UTF16_ENTITY.replace("UTF-16", "UTF-8").encode("utf-16"),
                                  UTF16_ENTITY.replace("UTF-16", "latin-1").replace(
                                      '<!DOCTYPE x [<!ENTITY a "报修">]>', "").replace(
                                      "&a;", "caf\xe9").encode("latin-1")],
                         ids=["utf-16 with BOM", "utf-16 without BOM", "utf-16 saying utf-8",
                              "latin-1"])
def test_only_utf8_bodies_are_read_so_no_dtd_hides_in_another_encoding(client, body):
    signed = WechatSigner("test-token").sign("", "o_utf16_0001")
    response = client.post(f"/wechat?{signed.query}", data=body, content_type="text/xml")
    assert (response.status_code, response.data) == (400, b"")
    assert User.select().count() == 0


def test_safe_mode_envelope_without_encrypt_is_400(client):
    signed = WechatSigner("test-token").sign("<xml><ToUserName>gh</ToUserName></xml>", "o")
    response = client.post(f"/wechat?{signed.query}&encrypt_type=aes&msg_signature=x",
                           data=signed.body)
    assert response.status_code == 400


def test_oversized_body_is_413(client):
    signer = WechatSigner("test-token")
    signed = signer.sign(signer.message_xml("o_big_000001", "text", Content="漏" * 40000), "o")
    assert client.post(f"/wechat?{signed.query}", data=signed.body).status_code == 413


def test_unknown_message_types_get_a_polite_help_reply(chat):
    assert "帮助" in chat.send("video", MediaId="m1", ThumbMediaId="t1")
    assert "帮助" in chat.send("link", Title="t", Description="d", Url="http://x")
    # A photo on its own starts a report that keeps it (tests/chat/test_conversation.py).
    assert "收到照片" in chat.photo("stray_photo")


def test_silent_events_answer_success(chat):
    response = chat.post_xml(chat.signer.message_xml(chat.openid, "event",
                                                     Event="TEMPLATESENDJOBFINISH", Status="success"))
    assert response.data == b"success"


def test_reply_text_with_cdata_terminator_is_valid_xml(chat):
    reply = chat.say("查询 BX20261126]]>0001")
    root = ET.fromstring(chat.last_response.data)
    assert root.find("Content").text == reply
    assert "BX20261126]]>0001" in reply


def test_wechat_retry_is_processed_once_with_the_same_reply(chat):
    xml = chat.signer.message_xml(chat.openid, "text", Content="报修 3号楼201 水龙头漏水")
    first = chat.post_xml(xml).data
    second = chat.post_xml(xml).data
    assert first == second
    chat.say("13800138000 王同学 计算机学院")
    # Had the retry been processed again, the draft would have restarted at the contact.
    assert "提交成功" in chat.say("是")


def test_event_retry_dedups_by_sender_and_create_time(chat):
    assert "欢迎关注" in chat.event("subscribe", create_time=1764120000)
    assert "欢迎关注" in chat.event("subscribe", create_time=1764120000)
    User.update(subscribed=False).execute()
    chat.event("subscribe", create_time=1764120000)
    assert not User.get().subscribed  # the retry was answered from cache, not processed


def test_unsubscribe_is_recorded(chat, clock):
    chat.say("你好")
    assert chat.event("unsubscribe") == ""
    user = User.get()
    assert not user.subscribed and user.unsubscribed_at == clock.now()


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "ok",
                             "worker": "unknown", "worker_seen": None}  # no worker ran yet


def test_a_failed_turn_answers_politely_and_its_retry_is_handled_afresh(chat, monkeypatch,
                                                                       caplog):
    from wechat_bot.chat import router
    attempts = []

    def flaky(turn):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")
        return "第二次成功"

    monkeypatch.setitem(router.COMMANDS, "试试", flaky)
    xml = chat.signer.message_xml(chat.openid, "text", Content="试试")
    first = chat.signer.read_reply(chat.post_xml(xml).data)["Content"]
    assert "系统开了个小差" in first and "Traceback" not in first
    assert chat.signer.read_reply(chat.post_xml(xml).data)["Content"] == "第二次成功"
    assert chat.openid not in caplog.text and "o_re…_0001" in caplog.text


def test_redis_down_still_gets_a_polite_reply(tmp_path, database_url, clock, database):
    from tests.conftest import make_settings
    from tests.cli.test_cli import free_port
    from wechat_bot import create_app
    from wechat_bot.redis_conn import connect_redis
    dead = connect_redis(f"redis://127.0.0.1:{free_port()}/0", tmp_path)
    app = create_app(make_settings(tmp_path, database_url), clock=clock, redis_client=dead)
    chat = Chat(app.test_client(), "o_no_redis_00001")
    # Without Redis the draft may be gone: the reply promises nothing it cannot keep.
    assert chat.say("报修") == "抱歉，系统开了个小差，刚才这条消息没有处理成功，请稍后再发一次。"
    assert app.test_client().get("/healthz").status_code == 503
