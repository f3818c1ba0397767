"""Signatures and AES crypto against the official vectors in shared/wechat/vectors.json."""
import json
from pathlib import Path

import pytest

from wechat_bot.webhook.signing import CryptoError, MessageCipher, sign, signature_ok

# A copy of shared/wechat/vectors.json (official vectors), so a bare clone can run the tests.
VECTORS = json.loads((Path(__file__).parents[1] / "data" / "wechat_vectors.json").read_text())
OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"


@pytest.mark.parametrize("vector", VECTORS["signature"])
def test_signature_vectors(vector):
    assert sign(vector["token"], vector["timestamp"], vector["nonce"]) == vector["signature"]
    assert signature_ok(vector["signature"], vector["token"], vector["timestamp"], vector["nonce"])
    assert not signature_ok(vector["signature"], "wrong", vector["timestamp"], vector["nonce"])


@pytest.mark.parametrize("vector", VECTORS["decrypt"])
def test_decrypt_vectors(vector):
    assert signature_ok(vector["msg_signature"], vector["token"], vector["timestamp"],
                        vector["nonce"], vector["encrypt"])
    cipher = MessageCipher(vector["token"], vector["app_id"], vector["encoding_aes_key"])
    assert cipher.decrypt(vector["encrypt"]) == vector["plaintext"]


def test_missing_signature_parts_never_pass():
    assert not signature_ok(None, "t", "1", "2")
    assert not signature_ok("", "t", "1", "2")
    assert not signature_ok(sign("t", "1", "2"), "t", None, "2")


def test_previous_key_still_decrypts_after_a_key_change():
    vector = VECTORS["decrypt"][0]
    cipher = MessageCipher(vector["token"], vector["app_id"], OTHER_KEY,
                           previous_key=vector["encoding_aes_key"])
    assert cipher.decrypt(vector["encrypt"]) == vector["plaintext"]


def test_wrong_key_or_app_id_is_a_crypto_error():
    vector = VECTORS["decrypt"][0]
    with pytest.raises(CryptoError):
        MessageCipher(vector["token"], vector["app_id"], OTHER_KEY).decrypt(vector["encrypt"])
    with pytest.raises(CryptoError):
        MessageCipher(vector["token"], "wx_other", vector["encoding_aes_key"]).decrypt(vector["encrypt"])
    with pytest.raises(CryptoError):
        MessageCipher(vector["token"], vector["app_id"], vector["encoding_aes_key"]).decrypt("not base64!")


def test_encrypted_reply_round_trips_and_is_signed():
    vector = VECTORS["decrypt"][0]
    cipher = MessageCipher(vector["token"], vector["app_id"], vector["encoding_aes_key"])
    envelope = cipher.encrypt_reply("<xml>回复</xml>", "nonce1", "1700000000")
    from wechat_bot.webhook.inbound import parse_xml
    fields = parse_xml(envelope)
    assert signature_ok(fields["MsgSignature"], vector["token"], "1700000000", "nonce1",
                        fields["Encrypt"])
    assert cipher.decrypt(fields["Encrypt"]) == "<xml>回复</xml>"
