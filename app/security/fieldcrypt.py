"""Personal data at rest: AES-256-GCM under versioned keys, and keyed blind indexes.

A ciphertext is ``"<version>$" + base64url(nonce + ciphertext)``; the encryption context (e.g.
"account.phone") is bound as associated data, so a value copied into another column fails to
decrypt. Rotation: encrypt with the current version, decrypt with any known one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class FieldDecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key version, wrong context, or tampering."""


class FieldCipher:
    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise ValueError("the current key version is not among the keys")
        for version, key in keys.items():
            if len(key) != 32 or not version.replace("_", "").isalnum():
                raise ValueError(f"field key {version!r} must be 32 bytes with an alphanumeric version")
        self._aead = {version: AESGCM(key) for version, key in keys.items()}
        self.current = current

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead[self.current].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{self.current}${base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"

    def decrypt(self, token: str, context: str) -> str:
        version, _, body = token.partition("$")
        aead = self._aead.get(version)
        if aead is None or not body:
            raise FieldDecryptionError(f"unknown key version {version!r}")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise FieldDecryptionError("value cannot be decrypted") from exc

    def needs_rotation(self, token: str) -> bool:
        return token.partition("$")[0] != self.current

    def rotate(self, token: str, context: str) -> str:
        return self.encrypt(self.decrypt(token, context), context) if self.needs_rotation(token) else token


def normalize(value: str) -> str:
    # NFKC folds full-width digits and letters (１２３ → 123) as typed on Chinese keyboards.
    return unicodedata.normalize("NFKC", value).strip().upper()


def blind_index(key: bytes, value: str, context: str) -> str:
    """HMAC-SHA256 of the normalised value: equal inputs match, nothing else is learnt."""
    return hmac.new(key, f"{context}\x00{normalize(value)}".encode(), hashlib.sha256).hexdigest()
