"""Staff password hashing with scrypt.

Parameters: n=2**15, r=8, p=1, 16-byte salt, 32-byte key. That costs 128·n·r = 32 MiB and roughly
0.1 s per hash: above the scrypt paper's n=2**14 for interactive logins, below OWASP's 2**17,
because every staff login also needs TOTP and each gunicorn worker's memory is bounded. The
parameters are stored in each hash, so ``needs_rehash`` lets a login upgrade old hashes when
these constants are raised.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import unicodedata

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.security.errors import PasswordTooWeak

N, R, P = 2**15, 8, 1
SALT_LEN = 16
KEY_LEN = 32
MIN_LENGTH = 12


def _normalize(password: str) -> bytes:
    # NFKC so the same password typed through a full-width IME or another device matches.
    return unicodedata.normalize("NFKC", password).encode()


def _derive(password: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_LEN, n=n, r=r, p=p).derive(password)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64``; ValidationFailed ``password_too_weak`` if too short."""
    if len(unicodedata.normalize("NFKC", password)) < MIN_LENGTH:
        raise PasswordTooWeak(f"密码至少需要{MIN_LENGTH}个字符")
    salt = os.urandom(SALT_LEN)
    digest = _derive(_normalize(password), salt, N, R, P)
    return "$".join(
        ["scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(), base64.b64encode(digest).decode()]
    )


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    return n, r, p, salt, digest


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash simply does not match."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    if len(digest) != KEY_LEN:
        return False
    try:
        candidate = _derive(_normalize(password), salt, n, r, p)
    except ValueError:  # parameters scrypt refuses (e.g. n not a power of two)
        return False
    return hmac.compare_digest(candidate, digest)


def needs_rehash(stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return True
    n, r, p, salt, digest = parsed
    return (n, r, p, len(salt), len(digest)) != (N, R, P, SALT_LEN, KEY_LEN)
