"""Request signatures of issuing authorities.

An authority signs ``METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nSHA256_HEX(BODY)`` with HMAC-SHA256
under its secret and sends ``X-Authority-Id``, ``X-Timestamp`` (Unix seconds), ``X-Nonce`` and
``X-Signature`` (hex). The timestamp must be within ±5 minutes; a nonce is accepted once (kept in
the database, so a Redis restart cannot reopen the window, for twice that window, after which the
timestamp check refuses a replay anyway).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

from app import clock
from app.db import session, transactional
from app.errors import Unauthenticated
from app.intake.models import Authority
from app.security import nonces
from app.security.keys import decrypt
from app.text import is_clean

WINDOW_SECONDS = 300
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SignatureError(Unauthenticated):
    code, message = "intake_signature_invalid", "请求签名无效"


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), canonical_request(method, path, timestamp, nonce, body),
                    hashlib.sha256).hexdigest()


def authenticate_request(
    *, authority_id: str | None, timestamp: str | None, nonce: str | None, signature: str | None,
    method: str, path: str, body: bytes,
) -> Authority:
    if not (authority_id and timestamp and nonce and signature):
        raise SignatureError("缺少签名头", code="intake_signature_missing")
    if not is_clean(authority_id, multiline=False):
        raise SignatureError()
    authority = session().get(Authority, authority_id)
    if authority is None or authority.disabled_at is not None:
        raise SignatureError()
    digits = timestamp.isascii() and timestamp.isdigit()
    if not digits or abs(clock.now().timestamp() - int(timestamp)) > WINDOW_SECONDS:
        raise SignatureError("请求时间戳超出允许范围", code="intake_timestamp_stale")
    if not _NONCE.match(nonce):
        raise SignatureError("nonce 格式无效", code="intake_nonce_invalid")
    expected = sign(decrypt(authority.secret_enc, "authority.secret"), method, path, timestamp, nonce, body)
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):  # bytes: any header text
        raise SignatureError()
    # Only a correctly signed request spends its nonce, so forgeries cannot burn nonces.
    if not _spend_nonce(authority.id, nonce):
        raise SignatureError("请求已处理过（nonce 重复）", code="intake_nonce_replayed")
    return authority


@transactional
def _spend_nonce(authority_id: str, nonce: str) -> bool:
    return nonces.spend(f"intake:{authority_id}", nonce, timedelta(seconds=2 * WINDOW_SECONDS))
