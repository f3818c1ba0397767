"""A WeChat user for tests: messages signed (and encrypted) as WeChat does, through the app."""
from __future__ import annotations

import itertools
import time

from wechat_bot.cli.chat_client import WechatSigner

TOKEN = "test-token"
APP_ID = "wx2c2769f8efd9abc2"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class Chat:
    """Sends messages from one openid to the webhook through a Flask test client."""

    def __init__(self, client, openid: str, mode: str = "plain"):
        self.client, self.openid = client, openid
        self.signer = WechatSigner(TOKEN, APP_ID, AES_KEY, mode)
        self.last_response = None
        # Events are told apart by sender + CreateTime: two clicks in one second would look
        # like WeChat retrying, so each event here gets its own second.
        self._event_time = itertools.count(int(time.time()))

    def post_xml(self, xml: str, create_time_query: int | None = None):
        """Sign and post inner XML; the raw Flask response."""
        signed = self.signer.sign(xml, self.openid)
        self.last_response = self.client.post(f"/wechat?{signed.query}", data=signed.body,
                                              content_type="text/xml")
        return self.last_response

    def send(self, msg_type: str, **fields) -> str:
        """Send a message; the reply text ('' for no reply). Fails on a non-200 answer."""
        response = self.post_xml(self.signer.message_xml(self.openid, msg_type, **fields))
        assert response.status_code == 200, response.status_code
        return self.signer.read_reply(response.data).get("Content", "")

    def say(self, text: str) -> str:
        return self.send("text", Content=text)

    def photo(self, media_id: str) -> str:
        return self.send("image", MediaId=media_id, PicUrl=f"http://mmbiz.qpic.cn/{media_id}")

    def voice(self, recognition: str) -> str:
        return self.send("voice", MediaId="voice_1", Format="amr", Recognition=recognition)

    def event(self, event: str, key: str = "", create_time: int | None = None) -> str:
        xml = self.signer.message_xml(self.openid, "event", create_time or next(self._event_time),
                                      Event=event, EventKey=key)
        response = self.post_xml(xml)
        assert response.status_code == 200, response.status_code
        return self.signer.read_reply(response.data).get("Content", "")

    def click(self, key: str) -> str:
        return self.event("CLICK", key)
