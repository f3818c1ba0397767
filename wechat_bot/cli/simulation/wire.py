"""What simulated people touch: a WeChat phone (signed messages to the webhook, in process),
a browser on the back office, and the template messages the emulator delivered to phones."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable, Optional

from wechat_bot.cli.chat_client import WechatSigner
from wechat_bot.cli.simulation.journal import Delivery, Journal, Said
from wechat_bot.clock import Clock

NUMBER = re.compile(r"BX\d{12,}")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NOT_UNDERSTOOD = "没太明白"  # templates/messages/common/unknown.txt
OUTCOME = re.compile(r'<p class="(notice|problem)">(.*?)</p>', re.S)


def number_in(text: str) -> str:
    """The first order number in a text ('' for none)."""
    found = NUMBER.search(text)
    return found.group(0) if found else ""


def done_on(reply: str, phrase: str) -> str:
    """The order a reply says `phrase` (已接单 …) was done on; '' when it says no such thing.
    Anywhere in the reply: a notice may come first (a lapsed draft, say)."""
    found = re.search(f"{phrase} ({NUMBER.pattern})", reply)
    return found.group(1) if found else ""


class Phone:
    """One WeChat user: each message is signed as WeChat signs it and posted to /wechat."""

    def __init__(self, web, signer: WechatSigner, clock: Clock, journal: Journal, openid: str):
        self.web, self.signer, self.clock = web, signer, clock
        self.journal, self.openid = journal, openid

    def say(self, text: str, order: str = "") -> str:
        """Send a text message; the reply ('' when there was none or it failed)."""
        return self.send("text", text, order, Content=text)

    def scan(self, scene: str) -> str:
        """Scan a poster's QR code (the SCAN event of a follower)."""
        return self.send("event", f"[扫码 {scene}]", "", Event="SCAN", EventKey=scene)

    def photo(self, media_id: str) -> str:
        """Send a photo the emulator issued."""
        return self.send("image", "[图片]", "", MediaId=media_id,
                         PicUrl=f"http://mmbiz.qpic.cn/{media_id[:16]}")

    def send(self, msg_type: str, shown: str, order: str, **fields) -> str:
        """Post one message; the journal keeps what was said and answered, or the failure."""
        stamp, now = self.clock.timestamp(), self.clock.now()
        xml = self.signer.message_xml(self.openid, msg_type, stamp, **fields)
        signed = self.signer.sign(xml, self.openid, stamp)
        response = self.web.post(f"/wechat?{signed.query}", data=signed.body,
                                 content_type="text/xml")
        if response.status_code != 200:
            self.journal.snag(now, self.openid, f"“{shown}” got HTTP {response.status_code}", order)
            return ""
        reply = self.signer.read_reply(response.data).get("Content", "")
        self.journal.said.append(Said(now, self.openid, shown, reply, order))
        if msg_type == "text" and not reply:
            self.journal.snag(now, self.openid, f"“{shown}” got no reply", order)
        elif NOT_UNDERSTOOD in reply:
            self.journal.snag(now, self.openid, f"“{shown}” was not understood: “{reply}”", order)
        return reply


class Browser:
    """A member of staff in the back office: logs in when sent to the login page, posts forms
    with the CSRF token of the page they come from."""

    def __init__(self, web, clock: Clock, journal: Journal, username: str, password: str):
        self.web, self.clock, self.journal = web, clock, journal
        self.username, self.password = username, password

    def post_form(self, page: str, action: str, fields: dict, order: str = "") -> str:
        """Open `page`, post `fields` to `action` and read the page it leads to: what it says
        (`notice: …` done, `problem: …` refused, else `HTTP <status>`)."""
        token = self._token(page)
        if token is None:
            self.journal.snag(self.clock.now(), self.username, f"{page} shows no form", order)
            return ""
        response = self.web.post(action, data={**fields, "csrf_token": token})
        outcome = f"HTTP {response.status_code}"
        if response.status_code in (302, 303):
            page = self.web.get(response.headers["Location"]).get_data(as_text=True)
            found = OUTCOME.search(page)
            outcome = f"{found.group(1)}: {found.group(2).strip()}" if found else outcome
        self.journal.said.append(Said(self.clock.now(), self.username, f"POST {action}",
                                      outcome, order))
        return outcome

    def page(self, path: str) -> str:
        """The page's HTML (logging in first when sent to the login page)."""
        response = self.web.get(path)
        if response.status_code == 302 and "/admin/login" in response.headers.get("Location", ""):
            self._log_in()
            response = self.web.get(path)
        return response.get_data(as_text=True)

    def _token(self, page: str) -> Optional[str]:
        found = CSRF.search(self.page(page))
        return found.group(1) if found else None

    def _log_in(self) -> None:
        form = CSRF.search(self.web.get("/admin/login").get_data(as_text=True))
        self.web.post("/admin/login", data={"username": self.username, "password": self.password,
                                            "csrf_token": form.group(1) if form else ""})


class Inbox:
    """The template messages the emulator delivered since the last look, for their recipients."""

    def __init__(self, state, templates: dict, clock: Clock, journal: Journal):
        self.state, self.clock, self.journal = state, clock, journal
        self.kinds = {settings.template_id: kind for kind, settings in templates.items()}
        self.last_msgid = 0

    def hand_out(self, recipient: Callable[[str], object]) -> int:
        """Give each new message to the owner of its phone (recipient(openid) → actor or None)."""
        new = self.state.delivered_templates_after(self.last_msgid)
        for message in new:
            self.last_msgid = message["msgid"]
            delivery = self._delivery(message, self.clock.now())
            self.journal.deliveries.append(delivery)
            owner = recipient(delivery.touser)
            if owner is not None:
                owner.receive(delivery)
        return len(new)

    def _delivery(self, message: dict, now: datetime) -> Delivery:
        values = {key: field.get("value", "") for key, field in (message.get("data") or {}).items()}
        return Delivery(now, self.kinds.get(message.get("template_id"), ""), message["touser"],
                        values, str(message.get("client_msg_id", "")))
