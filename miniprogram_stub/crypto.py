"""The cryptography of the WeChat wire formats, implemented independently of yss's clients."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def new_session_key() -> str:
    """A session_key is base64 of 16 random bytes (it doubles as the AES-128 key for open data)."""
    return base64.b64encode(os.urandom(16)).decode()


def _pkcs7_pad(data: bytes, block_bytes: int) -> bytes:
    # WeChat pads open data to 16-byte blocks but push messages to 32-byte blocks,
    # which the cryptography padder supports through its block size in bits.
    padder = padding.PKCS7(block_bytes * 8).padder()
    return padder.update(data) + padder.finalize()


def _cbc_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(plaintext) + encryptor.finalize()


def encrypt_open_data(session_key: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Encrypt open data (e.g. the phone number) as the client receives it: (encryptedData, iv).

    AES-128-CBC, key = base64-decode(session_key), random iv, PKCS#7 to 16 bytes.
    """
    key = base64.b64decode(session_key)
    iv = os.urandom(16)
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    ciphertext = _cbc_encrypt(key, iv, _pkcs7_pad(plaintext, 16))
    return base64.b64encode(ciphertext).decode(), base64.b64encode(iv).decode()


def encrypt_push_message(encoding_aes_key: str, appid: str, message: bytes) -> str:
    """Encrypt a pushed message for safe mode, returning the base64 `Encrypt` value.

    AES-256-CBC, key = base64-decode(EncodingAESKey + "="), iv = key[:16], PKCS#7 to 32 bytes;
    plaintext = 16 random bytes + 4-byte big-endian length + message + appid.
    """
    key = base64.b64decode(encoding_aes_key + "=")
    plaintext = os.urandom(16) + struct.pack(">I", len(message)) + message + appid.encode()
    ciphertext = _cbc_encrypt(key, key[:16], _pkcs7_pad(plaintext, 32))
    return base64.b64encode(ciphertext).decode()


def push_signature(*parts: str) -> str:
    """sha1 over the sorted parts joined, lowercase hex (signature and msg_signature)."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def session_signature(session_key: str, data: str = "") -> str:
    """Login-state signature: HMAC-SHA256 keyed with the session_key *string's* bytes."""
    return hmac.new(session_key.encode(), data.encode(), hashlib.sha256).hexdigest()


def cert_hash(cert_type: str, cert_name: str, cert_no: str) -> str:
    """The face-verification cert_hash, standard base64 of each UTF-8 field."""

    def b64(value: str) -> str:
        return base64.b64encode(value.encode()).decode()

    text = f"cert_type={b64(cert_type)}&cert_name={b64(cert_name)}&cert_no={b64(cert_no)}"
    return hashlib.sha256(text.encode()).hexdigest()
