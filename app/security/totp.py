"""Time-based one-time passwords (RFC 6238, HMAC-SHA1 as authenticator apps expect), by ``pyotp``.

Secrets are base32 text, as shown in the QR code. ``match_step`` returns the time-step counter a
code matched; refusing a code whose step was already used (RFC 6238 §5.2) is the caller's job:
``app.staff.auth`` stores the last accepted step per member and accepts only a greater one.
"""

from __future__ import annotations

import binascii
import hmac

import pyotp

DEFAULT_STEP = 30
DEFAULT_DIGITS = 6


def new_secret() -> str:
    """20 random bytes (the HMAC-SHA1 block RFC 4226 recommends) as 32 base32 characters."""
    return pyotp.random_base32(32)


def _totp(secret: str, step: int = DEFAULT_STEP, digits: int = DEFAULT_DIGITS) -> pyotp.TOTP:
    cleaned = secret.replace(" ", "").upper()
    totp = pyotp.TOTP(cleaned + "=" * (-len(cleaned) % 8), digits=digits, interval=step)
    try:
        totp.byte_secret()
    except (binascii.Error, ValueError) as exc:
        raise ValueError("TOTP secret is not valid base32") from exc
    return totp


def totp_code(secret: str, for_time: int, step: int = DEFAULT_STEP, digits: int = DEFAULT_DIGITS) -> str:
    return _totp(secret, step, digits).at(for_time)


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
    totp = _totp(secret, step, digits)
    current = now // step
    # Nearest step first, so the rare collision between neighbouring steps prefers the current one.
    for offset in sorted(range(-window, window + 1), key=abs):
        counter = current + offset
        if counter >= 0 and hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def provisioning_uri(secret: str, account_name: str, issuer: str = "yss") -> str:
    """The ``otpauth://totp/`` URI authenticator apps scan (Key Uri Format)."""
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=issuer)
