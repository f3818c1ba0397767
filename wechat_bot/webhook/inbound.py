"""Parsing the XML WeChat posts into one small, validated message object."""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

REQUIRED = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
# Full-width digits, letters and space as phones' keyboards type them (３号楼２０１, ＡＣ):
# read as the ASCII ones. Chinese punctuation (，。) stays as it is.
FULL_WIDTH = {**{0xFF10 + n: 0x30 + n for n in range(10)},
              **{0xFF21 + n: 0x41 + n for n in range(26)},
              **{0xFF41 + n: 0x61 + n for n in range(26)}, 0x3000: 0x20, 0xFF0D: 0x2D}
# The encoding an XML declaration names; WeChat sends UTF-8 and nothing else.
DECLARED_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
UTF8_NAMES = (b"utf-8", b"utf8")


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
            return self.content.translate(FULL_WIDTH).strip()
        # speech recognition adds a full stop
        return self.recognition.translate(FULL_WIDTH).strip().rstrip("。.！!，,")


def parse_xml(body: bytes | str) -> dict:
    """The <xml> element's children as {tag: text}, from UTF-8 XML without a DTD.

    defusedxml refuses a DTD in any encoding (no entity can be declared, so none expanded);
    anything but UTF-8 is refused before parsing (a UTF-16 body hides its markup from byte
    checks, a GBK one crashes expat). A field given twice is refused rather than guessed at.
    Elements with children of their own are left out (they count as missing).
    """
    if not body:
        raise BadMessage("empty body")
    raw = body.encode() if isinstance(body, str) else body
    _require_utf8(raw)
    try:
        root = fromstring(raw, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadMessage(f"unreadable XML: {exc!r}"[:200]) from None
    if root.tag != "xml" or len(root) == 0:
        raise BadMessage("root element is not <xml> with fields")
    fields: dict = {}
    for child in root:
        if child.tag in fields:
            raise BadMessage(f"field {child.tag[:40]} given twice")
        nested = len(child) > 0
        fields[child.tag] = None if nested else (child.text or "")
    return {tag: text for tag, text in fields.items() if text is not None}


def _require_utf8(raw: bytes) -> None:
    """Refuse bodies that are not UTF-8: a NUL byte (UTF-16/32) or another declared encoding."""
    if b"\x00" in raw:
        raise BadMessage("NUL byte: not UTF-8 XML")
    declared = DECLARED_ENCODING.match(raw)
    if declared and declared.group(1).strip().lower() not in UTF8_NAMES:
        raise BadMessage(f"declared encoding {declared.group(1)[:20]!r} is not UTF-8")


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
