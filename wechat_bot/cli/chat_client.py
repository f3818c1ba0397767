"""Playing WeChat's side: signed (and encrypted) XML posted to the webhook, replies decoded.

`run.py chat` uses it interactively; the tests and the benchmark build their requests with it.
"""
from __future__ import annotations

import itertools
import secrets
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from wechat_bot.config import Settings
from wechat_bot.webhook.inbound import parse_xml
from wechat_bot.webhook.reply_xml import cdata
from wechat_bot.webhook.signing import MessageCipher, sign, signature_ok
from wechat_bot.wechat_api.gateway import api_base_url

ACCOUNT_ID = "gh_baoxiu_demo"
_msg_ids = itertools.count(int(time.time() * 1000) % 10**12 * 1000)


@dataclass
class SignedRequest:
    """What WeChat would send: the query string and the body."""
    query: str
    body: bytes


class WechatSigner:
    """Builds requests exactly as WeChat does, in plain, compat(ible) or safe mode."""

    def __init__(self, token: str, app_id: str = "", aes_key: str = "", mode: str = "plain"):
        self.token, self.mode = token, mode
        self.cipher = MessageCipher(token, app_id, aes_key) if aes_key else None
        if mode != "plain" and self.cipher is None:
            raise ValueError(f"{mode} mode needs wechat.encoding_aes_key")

    def message_xml(self, openid: str, msg_type: str, create_time: int | None = None,
                    **fields) -> str:
        """Inner XML of a message; text/image/voice/location get a fresh MsgId unless given."""
        if msg_type != "event":
            fields.setdefault("MsgId", str(next(_msg_ids)))
        parts = [f"<ToUserName>{cdata(ACCOUNT_ID)}</ToUserName>",
                 f"<FromUserName>{cdata(openid)}</FromUserName>",
                 f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
                 f"<MsgType>{cdata(msg_type)}</MsgType>"]
        parts += [f"<{name}>{cdata(str(value))}</{name}>" for name, value in fields.items()]
        return "<xml>" + "".join(parts) + "</xml>"

    def sign(self, xml: str, openid: str, timestamp: int | None = None) -> SignedRequest:
        """The query and body for `xml`, encrypted in compat and safe mode."""
        timestamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(5)
        query = {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp,
                 "nonce": nonce, "openid": openid}
        if self.mode == "plain":
            return SignedRequest(urlencode(query), xml.encode())
        encrypted = self.cipher.encrypt(xml)
        query.update(encrypt_type="aes",
                     msg_signature=sign(self.token, timestamp, nonce, encrypted))
        envelope = f"<Encrypt>{cdata(encrypted)}</Encrypt>"
        body = (xml.replace("</xml>", envelope + "</xml>") if self.mode == "compat"
                else f"<xml><ToUserName>{cdata(ACCOUNT_ID)}</ToUserName>{envelope}</xml>")
        return SignedRequest(urlencode(query), body.encode())

    def read_reply(self, body: bytes) -> dict:
        """The reply's fields, decrypted and signature-checked when encrypted; {} for none."""
        if body in (b"", b"success"):
            return {}
        fields = parse_xml(body)
        if "Encrypt" in fields:
            if not signature_ok(fields["MsgSignature"], self.token, fields["TimeStamp"],
                                fields["Nonce"], fields["Encrypt"]):
                raise ValueError("reply MsgSignature does not match")
            fields = parse_xml(self.cipher.decrypt(fields["Encrypt"]))
        return fields


class ChatClient:
    """One simulated WeChat user talking to a running server over HTTP."""

    def __init__(self, settings: Settings, url: str, openid: str, mode: str = ""):
        wx = settings.wechat
        mode = mode or ("safe" if wx.encoding_aes_key else "plain")
        self.signer = WechatSigner(wx.token, wx.app_id, wx.encoding_aes_key, mode)
        self.url, self.openid = url, openid
        self.http = requests.Session()
        self.sandbox_url = "" if wx.app_secret else api_base_url(settings)

    def photo_id(self) -> str:
        """A media id for a photo: issued by the emulator (so the worker can fetch it)."""
        if self.sandbox_url:
            try:
                answer = self.http.post(f"{self.sandbox_url}/_sandbox/media", json={"type": "image"},
                                        timeout=5)
                return answer.json()["media_id"]
            except (requests.RequestException, ValueError, KeyError):
                pass  # no emulator running: the photo is recorded, its download will fail
        return f"media_{secrets.token_hex(6)}"

    def send(self, msg_type: str, **fields) -> str:
        """Post one message; the reply's text ('' when the bot stays silent)."""
        if msg_type == "image" and not fields.get("MediaId"):
            fields["MediaId"] = self.photo_id()
        signed = self.signer.sign(self.signer.message_xml(self.openid, msg_type, **fields),
                                  self.openid)
        response = self.http.post(f"{self.url}?{signed.query}", data=signed.body, timeout=10,
                                  headers={"Content-Type": "text/xml"})
        response.raise_for_status()
        return self.signer.read_reply(response.content).get("Content", "")

    def say(self, text: str) -> str:
        """Send a text message."""
        return self.send("text", Content=text)


def parse_line(line: str) -> tuple[str, dict]:
    """A terminal line as (msg_type, fields); slash commands make the other message kinds."""
    word, _, rest = line.strip().partition(" ")
    commands = {
        "/image": lambda: ("image", {"MediaId": rest, "PicUrl": "http://mmbiz.qpic.cn/demo.jpg"}),
        "/voice": lambda: ("voice", {"MediaId": f"voice_{secrets.token_hex(6)}",
                                     "Format": "amr", "Recognition": rest}),
        "/location": lambda: ("location", {"Location_X": "31.02", "Location_Y": "121.43",
                                           "Scale": "16", "Label": rest or "东校区 3号楼"}),
        "/click": lambda: ("event", {"Event": "CLICK", "EventKey": rest}),
        "/subscribe": lambda: ("event", {"Event": "subscribe", "EventKey": ""}),
        "/unsubscribe": lambda: ("event", {"Event": "unsubscribe", "EventKey": ""}),
    }
    return commands[word]() if word in commands else ("text", {"Content": line.strip()})


CHAT_HELP = """Type as a WeChat user would (报修, 我的报修, 查询 单号 ...). Also:
  /image [media_id]   send a photo          /voice 文字        a voice message with recognition
  /location 地点名     share a location      /click KEY         press a menu button (REPORT, MY_ORDERS, HELP)
  /subscribe, /unsubscribe                  /quit              leave"""


def repl(client: ChatClient) -> int:
    """Read lines from the terminal (or a pipe), print the bot's replies."""
    interactive = sys.stdin.isatty()
    print(f"chatting as {client.openid} with {client.url} ({client.signer.mode} mode); /help")
    while True:
        if interactive:
            print("你> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line or line.strip() == "/quit":
            return 0
        if not line.strip():
            continue
        if line.strip() == "/help":
            print(CHAT_HELP)
            continue
        msg_type, fields = parse_line(line)
        try:
            reply = client.send(msg_type, **fields)
        except (requests.RequestException, ValueError) as exc:
            print(f"[could not reach the bot: {exc}]")
            return 1
        print(f"报修bot> {reply or '(no reply)'}\n", flush=True)

