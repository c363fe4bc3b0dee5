"""Safe-mode message decryption refuses anything but whole, well-formed PKCS#7 padding."""

import base64
import os
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.integrations.wechat_crypto import MessageSignatureError, decrypt_message

AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")
APPID = "wxtest0000000001"


def _encrypt(padded: bytes) -> str:
    key = base64.b64decode(AES_KEY + "=")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()


def _plain(message: bytes) -> bytes:
    return os.urandom(16) + struct.pack(">I", len(message)) + message + APPID.encode()


def _pad(data: bytes, *, forged_byte: int | None = None) -> bytes:
    n = 32 - len(data) % 32
    padding = bytearray([n] * n)
    if forged_byte is not None:
        padding[0] = forged_byte
    return data + bytes(padding)


def test_a_message_with_correct_padding_decrypts():
    plain = _plain(b'{"MsgType":"event"}')
    assert decrypt_message(AES_KEY, _encrypt(_pad(plain)), APPID) == '{"MsgType":"event"}'


def test_padding_whose_earlier_bytes_are_wrong_is_refused():
    plain = _plain(b'{"MsgType":"event","x":1}')
    assert 32 - len(plain) % 32 > 1  # more than one padding byte, so an earlier one can be wrong
    with pytest.raises(MessageSignatureError) as refused:
        decrypt_message(AES_KEY, _encrypt(_pad(plain, forged_byte=0x00)), APPID)
    assert refused.value.code == "wechat_message_undecryptable"


def test_ciphertext_that_is_not_whole_blocks_is_refused():
    plain = _plain(b'{"MsgType":"event"}')
    truncated = base64.b64encode(base64.b64decode(_encrypt(_pad(plain)))[:-5]).decode()
    with pytest.raises(MessageSignatureError):
        decrypt_message(AES_KEY, truncated, APPID)
