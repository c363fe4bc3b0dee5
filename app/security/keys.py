"""The process's key objects, built once from settings."""

from __future__ import annotations

import functools

from app.security.fieldcrypt import FieldCipher, blind_index
from app.security.signing import SigningKeyRing
from config import get_settings


@functools.cache
def field_cipher() -> FieldCipher:
    keys = get_settings().key_list("field_encryption_keys")
    return FieldCipher(dict(keys), current=keys[0][0])


@functools.cache
def signing_keys() -> SigningKeyRing:
    # One ring per key list, so its verified-token cache lives as long as the keys do.
    return _signing_ring(get_settings().signing_keys)


@functools.lru_cache(maxsize=4)
def _signing_ring(_configured: str) -> SigningKeyRing:
    return SigningKeyRing(get_settings().key_list("signing_keys"))


@functools.cache
def _blind_index_key() -> bytes:
    return get_settings().key_bytes("blind_index_key")


def encrypt(value: str, context: str) -> str:
    return field_cipher().encrypt(value, context)


def decrypt(token: str, context: str) -> str:
    return field_cipher().decrypt(token, context)


def lookup_hash(value: str, context: str) -> str:
    """Keyed blind index of ``value``: equal inputs give equal hashes, nothing else leaks."""
    return blind_index(_blind_index_key(), value, context)
