"""WeChat signatures and the AES message encryption of compatible and safe mode."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from wechatpy.crypto import PrpCrypto
from wechatpy.exceptions import InvalidAppIdException


class CryptoError(Exception):
    """An encrypted body could not be decrypted with any configured key."""


def sign(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts joined together."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected: str | None, *parts: str) -> bool:
    """Constant-time check of a signature a request carried."""
    if not expected or any(p is None for p in parts):
        return False
    return hmac.compare_digest(sign(*parts), expected.lower())


class MessageCipher:
    """Decrypts with the current or the previous EncodingAESKey; encrypts with the current."""

    def __init__(self, token: str, app_id: str, key: str, previous_key: str = ""):
        self.token, self.app_id = token, app_id
        self.keys = [_aes_key(k) for k in (key, previous_key) if k]

    def decrypt(self, encrypted: str) -> str:
        """The plaintext XML inside `encrypted`; raise CryptoError when no key fits."""
        for key in self.keys:
            try:
                return PrpCrypto(key).decrypt(encrypted, self.app_id)
            except (InvalidAppIdException, ValueError, UnicodeDecodeError, struct.error,
                    binascii.Error, IndexError):
                continue
        raise CryptoError("no EncodingAESKey decrypts this message")

    def encrypt(self, xml: str) -> str:
        """`xml` encrypted with the current key, base64 as WeChat sends it."""
        return PrpCrypto(self.keys[0]).encrypt(xml, self.app_id).decode()

    def encrypt_reply(self, xml: str, nonce: str, timestamp: str) -> str:
        """The safe-mode reply envelope around `xml`."""
        encrypted = self.encrypt(xml)
        signature = sign(self.token, timestamp, nonce, encrypted)
        return (f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
                f"<MsgSignature><![CDATA[{signature}]]></MsgSignature>"
                f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>")


def _aes_key(encoding_aes_key: str) -> bytes:
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("EncodingAESKey must decode to 32 bytes")
    return key
