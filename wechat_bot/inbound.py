"""Parsing the XML WeChat posts into one small, validated message object."""
from __future__ import annotations

from dataclasses import dataclass
from xml.parsers.expat import ExpatError

import xmltodict

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")


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
    """The <xml> element as a dict; entities and DTDs are refused (no XML bombs)."""
    if not body:
        raise BadMessage("empty body")
    try:
        root = xmltodict.parse(body, disable_entities=True)
    except (ExpatError, ValueError) as exc:
        raise BadMessage(f"unreadable XML: {exc}") from None
    fields = root.get("xml") if isinstance(root, dict) else None
    if not isinstance(fields, dict):
        raise BadMessage("root element is not <xml> with fields")
    return fields


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
