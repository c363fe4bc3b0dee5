"""Encryption at rest for personal data fields, with versioned keys, and blind indexes.

A token is ``"<version>$" + urlsafe-b64(nonce + ciphertext)``: AES-256-GCM, 12-byte random nonce,
the column's context (e.g. ``"account.phone"``) as associated data, so a ciphertext copied into
another column does not decrypt. Old key versions stay readable until rotated to the current one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = re.compile(r"[A-Za-z0-9_]+")
_NONCE_LEN = 12
_TAG_LEN = 16

# Full-width ASCII letters and digits (IME input) to their half-width forms.
_HALF_WIDTH = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
}


class FieldDecryptionError(Exception):
    """A stored token cannot be decrypted: unknown key version, wrong context or tampering.

    An internal fault (the data or the key configuration is wrong), never a user error, so it
    is deliberately not an ``AppError``.
    """


class FieldCipher:
    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        for version, key in keys.items():
            if not _VERSION.fullmatch(version):
                raise ValueError(f"invalid key version id {version!r}")
            if len(key) != 32:
                raise ValueError(f"key {version!r} must be 32 bytes for AES-256")
        if current not in keys:
            raise ValueError(f"current key version {current!r} is not among the keys")
        self._aeads = {version: AESGCM(key) for version, key in keys.items()}
        self.current = current

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(_NONCE_LEN)  # random 96-bit nonces: safe well beyond our volume per key
        sealed = self._aeads[self.current].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{self.current}${base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, context: str) -> str:
        version, _, body = token.partition("$")
        aead = self._aeads.get(version)
        if aead is None:
            raise FieldDecryptionError(f"unknown key version {version!r}")
        try:
            raw = base64.b64decode(body, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise FieldDecryptionError("malformed token") from exc
        if len(raw) < _NONCE_LEN + _TAG_LEN:
            raise FieldDecryptionError("malformed token")
        try:
            plain = aead.decrypt(raw[:_NONCE_LEN], raw[_NONCE_LEN:], context.encode())
        except InvalidTag as exc:
            raise FieldDecryptionError("authentication failed (wrong context or tampered)") from exc
        return plain.decode()

    def needs_rotation(self, token: str) -> bool:
        return token.partition("$")[0] != self.current

    def rotate(self, token: str, context: str) -> str:
        """Re-encrypt under the current key; a token already current is returned unchanged."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context), context)


def normalize_for_index(value: str) -> str:
    """The form a value is indexed in: half-width, stripped, upper-case ("x" ≡ "X" in ID numbers)."""
    return value.translate(_HALF_WIDTH).strip().upper()


def blind_index(key: bytes, value: str, context: str) -> str:
    """Keyed hash for equality lookup and uniqueness without storing plaintext.

    The context is part of the input so the same value yields unrelated indexes in different
    columns; the NUL separator keeps (context, value) pairs unambiguous.
    """
    if len(key) < 32:
        raise ValueError("blind index key must be at least 32 bytes")
    message = context.encode() + b"\x00" + normalize_for_index(value).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
