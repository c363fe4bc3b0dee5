"""WeChat's cryptography, implemented on the emulator's side (independently of yss's client)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_open_data(session_key: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Legacy open data: AES-128-CBC under b64decode(session_key), PKCS#7 to 16 bytes."""
    key, iv = base64.b64decode(session_key), os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(json.dumps(payload, ensure_ascii=False).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode(), base64.b64encode(iv).decode()


def cert_hash(cert_type: str, cert_name: str, cert_no: str) -> str:
    def b64(value: str) -> str:
        return base64.b64encode(value.encode()).decode()

    text = f"cert_type={b64(cert_type)}&cert_name={b64(cert_name)}&cert_no={b64(cert_no)}"
    return hashlib.sha256(text.encode()).hexdigest()


def push_signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, *extra])).encode()).hexdigest()


def encrypt_message(encoding_aes_key: str, message: str, appid: str) -> str:
    """Safe mode: AES-256-CBC, key = b64decode(EncodingAESKey + "="), iv = key[:16], PKCS#7 to 32."""
    key = base64.b64decode(encoding_aes_key + "=")
    body = message.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + appid.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
