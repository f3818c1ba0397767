"""Parsing the XML WeChat posts into one small, validated message object."""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
DTD = re.compile(rb"<!\s*(?i:doctype|entity)")


class BadMessage(ValueError):
    """The body is not a WeChat message we can trust: answered with 400."""


@dataclass(frozen=True)
class Inbound:
    """One message or event from a user, with only the fields this bot reads."""
    to_user: str
    openid: str
    create_time: int
    msg_type: str
    msg_id: str = ""
    content: str = ""
    media_id: str = ""
    pic_url: str = ""
    recognition: str = ""
    event: str = ""
    event_key: str = ""
    label: str = ""

    @property
    def retry_key(self) -> str:
        """Identifies WeChat's retries: MsgId for messages, sender + time for events."""
        return self.msg_id or f"{self.openid}:{self.create_time}:{self.event}:{self.event_key}"

    @property
    def text(self) -> str:
        """What the user said: typed text or the speech recognition of a voice message."""
        if self.content:
            return self.content.strip()
        return self.recognition.strip().rstrip("。.！!，,")  # speech recognition adds a full stop


def parse_xml(body: bytes | str) -> dict:
    """The <xml> element's children as {tag: text}; a DTD is refused (no entity bombs).

    WeChat never sends a DOCTYPE, so refusing any is safe, and without one no entity can be
    declared. Elements with children of their own are left out (they count as missing).
    """
    if not body:
        raise BadMessage("empty body")
    raw = body.encode() if isinstance(body, str) else body
    if DTD.search(raw):
        raise BadMessage("DTD or entity declaration refused")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise BadMessage(f"unreadable XML: {exc}") from None
    if root.tag != "xml" or len(root) == 0:
        raise BadMessage("root element is not <xml> with fields")
    return {child.tag: child.text or "" for child in root if len(child) == 0}


def parse_message(body: bytes | str) -> Inbound:
    """Validate and convert a (decrypted) message body."""
    fields = parse_xml(body)
    missing = [name for name in REQUIRED if not _text(fields, name)]
    if missing:
        raise BadMessage(f"missing {', '.join(missing)}")
    try:
        create_time = int(_text(fields, "CreateTime"))
    except ValueError:
        raise BadMessage("CreateTime is not a number") from None
    return Inbound(
        to_user=_text(fields, "ToUserName"), openid=_text(fields, "FromUserName"),
        create_time=create_time, msg_type=_text(fields, "MsgType").lower(),
        msg_id=_text(fields, "MsgId"), content=_text(fields, "Content"),
        media_id=_text(fields, "MediaId"), pic_url=_text(fields, "PicUrl"),
        recognition=_text(fields, "Recognition"), event=_text(fields, "Event"),
        event_key=_text(fields, "EventKey"), label=_text(fields, "Label"))


def _text(fields: dict, name: str) -> str:
    """A field's text; nested elements or repeated fields count as missing."""
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""
