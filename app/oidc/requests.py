"""Authorization requests waiting for the resident: validated by the protocol layer, then shown
in the mini program's consent page. Kept in Redis for ten minutes (they may expire)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from app.oidc.errors import AuthorizationRequestNotFound
from app.redis_store import get_redis

LIFETIME_SECONDS = 600
_PREFIX = "oidc:request:"


def open_request(params: dict[str, str]) -> str:
    request_id = secrets.token_urlsafe(24)
    get_redis().set(_PREFIX + request_id, json.dumps(params), ex=LIFETIME_SECONDS)
    return request_id


def _key(request_id: Any) -> str:
    if not isinstance(request_id, str) or not 16 <= len(request_id) <= 64:
        raise AuthorizationRequestNotFound()
    return _PREFIX + request_id


def pending_params(request_id: str) -> dict[str, str]:
    raw = get_redis().get(_key(request_id))
    if raw is None:
        raise AuthorizationRequestNotFound()
    return json.loads(raw)


def take_params(request_id: str) -> dict[str, str]:
    """The request's parameters, removed: an answer (approve or deny) is given once."""
    raw = get_redis().getdel(_key(request_id))
    if raw is None:
        raise AuthorizationRequestNotFound()
    return json.loads(raw)
