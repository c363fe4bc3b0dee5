"""WeChat's cryptography: legacy open-data decryption and message-push signatures / safe mode."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import struct
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.errors import AppError


class OpenDataError(AppError):
    status, code, message = 400, "phone_decrypt_failed", "手机号数据无法解密，请重新获取"


class MessageSignatureError(AppError):
    status, code, message = 403, "wechat_signature_invalid", "消息签名校验失败"


class MessageUndecryptable(MessageSignatureError):
    code, message = "wechat_message_undecryptable", "消息无法解密"


class MessageWrongAppid(MessageSignatureError):
    code, message = "wechat_message_wrong_appid", "消息不属于本小程序"


def decrypt_open_data(session_key: str, encrypted_data: str, iv: str, appid: str) -> dict[str, Any]:
    """Legacy ``encryptedData`` + ``iv``: AES-128-CBC, key = b64decode(session_key), PKCS#7/16.

    Any failure (wrong key, bad padding, not JSON, another app's watermark) is one clean error.
    """
    try:
        key, raw_iv, data = (base64.b64decode(v, validate=True) for v in (session_key, iv, encrypted_data))
        if len(key) != 16 or len(raw_iv) != 16 or not data or len(data) % 16:
            raise ValueError("bad sizes")
        decryptor = Cipher(algorithms.AES(key), modes.CBC(raw_iv)).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plain = json.loads(unpadder.update(padded) + unpadder.finalize())
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError):
        raise OpenDataError() from None
    if not isinstance(plain, dict) or plain.get("watermark", {}).get("appid") != appid:
        raise OpenDataError("数据不属于本小程序", code="phone_watermark_mismatch")
    return plain


def message_signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """sha1 over the sorted parts, lowercase hex (``extra`` is the Encrypt field in safe mode)."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, *extra])).encode()).hexdigest()


def check_signature(expected: str, token: str, timestamp: str, nonce: str, *extra: str) -> None:
    # Bytes, as a str compare refuses non-ASCII text (which a forged query can carry).
    if not hmac.compare_digest(message_signature(token, timestamp, nonce, *extra).encode(), (expected or "").encode()):
        raise MessageSignatureError()


def decrypt_message(encoding_aes_key: str, encrypted: str, appid: str) -> str:
    """Safe mode: AES-256-CBC, key = b64decode(EncodingAESKey + "="), iv = key[:16], PKCS#7/32;
    plaintext = 16 random bytes + 4-byte big-endian length + message + appid."""
    try:
        key = base64.b64decode(encoding_aes_key + "=")
        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        data = base64.b64decode(encrypted)
        if not data or len(data) % 32:
            raise ValueError("not whole blocks")
        padded = decryptor.update(data) + decryptor.finalize()
        # The whole PKCS#7 padding, not only its last byte: n bytes, each of value n, 1 <= n <= 32.
        pad = padded[-1]
        if not 1 <= pad <= 32 or not hmac.compare_digest(padded[-pad:], bytes([pad]) * pad):
            raise ValueError("bad padding")
        plain = padded[:-pad]
        (length,) = struct.unpack(">I", plain[16:20])
        message, from_appid = plain[20:20 + length], plain[20 + length:].decode()
    except (ValueError, binascii.Error, struct.error, UnicodeDecodeError, IndexError):
        raise MessageUndecryptable() from None
    if from_appid != appid:
        raise MessageWrongAppid()
    return message.decode()
