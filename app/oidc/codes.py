"""Authorization codes: 60 seconds, used once (RFC 6749 §4.1.2; OAuth 2.0 Security BCP §4.2).

A code lives in Redis and is taken with GETDEL, so two token requests cannot both spend it. A spent
code leaves a marker for ten minutes: presenting it again revokes the tokens issued for it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from app import clock
from app.redis_store import get_redis

LIFETIME_SECONDS = 60
_CODE, _SPENT, _NONCE = "oidc:code:", "oidc:code-spent:", "oidc:nonce:"


@dataclass(frozen=True)
class AuthorizationCode:
    client_id: str
    account_id: int
    redirect_uri: str
    scope: str
    claims: list[str]
    nonce: str
    code_challenge: str
    code_challenge_method: str
    acr: str
    auth_time: int
    expires_at: float


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def save_code(code: str, **fields: Any) -> None:
    entry = AuthorizationCode(**fields, expires_at=clock.now().timestamp() + LIFETIME_SECONDS)
    r = get_redis()
    r.set(_CODE + code_hash(code), json.dumps(asdict(entry)), ex=LIFETIME_SECONDS * 5)
    # The nonce is spent with its code: an authorization request replayed with it is refused.
    r.set(f"{_NONCE}{entry.client_id}:{entry.nonce}", "1", ex=3600)


def nonce_used(client_id: str, nonce: str) -> bool:
    return bool(get_redis().exists(f"{_NONCE}{client_id}:{nonce}"))


def take_code(code: Any, client_id: str) -> AuthorizationCode | None:
    """The code's grant, spent now; None when unknown, spent, expired or another client's."""
    if not isinstance(code, str) or not code or len(code) > 128:
        return None
    digest = code_hash(code)
    r = get_redis()
    raw = r.getdel(_CODE + digest)
    if raw is None:
        return None
    r.set(_SPENT + digest, "1", ex=600)
    entry = AuthorizationCode(**json.loads(raw))
    if entry.client_id != client_id or clock.now().timestamp() > entry.expires_at:
        return None
    return entry


def was_spent(code: Any) -> bool:
    return isinstance(code, str) and 0 < len(code) <= 128 and bool(get_redis().exists(_SPENT + code_hash(code)))
