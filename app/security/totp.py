"""Time-based one-time passwords (RFC 6238, HMAC-SHA1 as authenticator apps expect).

Secrets are base32 text, as shown in the QR code. ``match_step`` returns the time-step counter a
code matched; refusing a code whose step was already used (RFC 6238 §5.2) is the caller's job:
store the last accepted step per user and accept only a greater one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

DEFAULT_STEP = 30
DEFAULT_DIGITS = 6


def new_secret() -> str:
    """20 random bytes (the HMAC-SHA1 block RFC 4226 recommends) as 32 base32 characters."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error as exc:
        raise ValueError("TOTP secret is not valid base32") from exc


def _hotp(key: bytes, counter: int, digits: int) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F  # RFC 4226 dynamic truncation
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_code(secret: str, for_time: int, step: int = DEFAULT_STEP, digits: int = DEFAULT_DIGITS) -> str:
    return _hotp(_key(secret), for_time // step, digits)


def match_step(
    secret: str,
    code: str,
    now: int,
    window: int = 1,
    *,
    step: int = DEFAULT_STEP,
    digits: int = DEFAULT_DIGITS,
) -> int | None:
    """The step counter the code belongs to, within ±window steps of now (clock drift), or None."""
    code = code.strip()
    if len(code) != digits or not code.isascii() or not code.isdigit():
        return None
    key = _key(secret)
    current = now // step
    # Nearest step first, so the rare collision between neighbouring steps prefers the current one.
    for offset in sorted(range(-window, window + 1), key=abs):
        counter = current + offset
        if counter >= 0 and hmac.compare_digest(_hotp(key, counter, digits), code):
            return counter
    return None


def provisioning_uri(secret: str, account_name: str, issuer: str = "yss") -> str:
    """The ``otpauth://totp/`` URI authenticator apps scan (Key Uri Format)."""
    label = quote(issuer, safe="") + ":" + quote(account_name, safe="@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DEFAULT_DIGITS,
            "period": DEFAULT_STEP,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
