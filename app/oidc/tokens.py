"""Access and refresh tokens issued to clients: opaque, stored as hashes, revocable.

A refresh token is spent by one conditional UPDATE (rotation: each refresh issues a new one), and
none works once the resident has revoked the client's consent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from app import clock
from app.db import session, transactional
from app.oidc.clients import find_client
from app.oidc.consents import active_consent_claims
from app.oidc.models import OidcClient, OidcToken

REFRESH_LIFETIME = timedelta(days=30)


@dataclass(frozen=True)
class TokenView:
    id: int
    client_id: str
    client_pk: int
    account_id: int
    scope: str
    claims: tuple[str, ...]
    acr: str
    auth_time: int
    issued_at: datetime
    expires_at: datetime
    refresh_expires_at: datetime | None
    revoked: bool


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _view(row: OidcToken, client_id: str) -> TokenView:
    return TokenView(row.id, client_id, row.client_pk, row.account_id, row.scope, tuple(row.claims), row.acr,
                     row.auth_time, row.issued_at, row.expires_at, row.refresh_expires_at, row.revoked_at is not None)


@transactional
def store_tokens(*, client_id: str, account_id: int, access_token: str, refresh_token: str | None, scope: str,
                 claims: tuple[str, ...] | list[str], acr: str, auth_time: int, expires_in: int,
                 code_hash: str | None = None) -> None:
    client = find_client(client_id)
    now = clock.now()
    session().add(OidcToken(client_pk=client.id, account_id=account_id, access_token_hash=_hash(access_token),
                            refresh_token_hash=_hash(refresh_token) if refresh_token else None,
                            code_hash=code_hash, scope=scope, claims=list(claims), acr=acr, auth_time=auth_time,
                            issued_at=now, expires_at=now + timedelta(seconds=expires_in),
                            refresh_expires_at=now + REFRESH_LIFETIME if refresh_token else None))


def _find(column: Any, raw: Any) -> TokenView | None:
    if not isinstance(raw, str) or not raw or len(raw) > 256:
        return None
    row = session().scalars(select(OidcToken).where(column == _hash(raw))).first()
    if row is None:
        return None
    client_id = session().scalars(select(OidcClient.client_id).where(OidcClient.id == row.client_pk)).one()
    return _view(row, client_id)


def find_token(raw: Any, hint: str | None = None) -> TokenView | None:
    """A token by its value, access or refresh (RFC 7009 lets the hint be wrong)."""
    order = [OidcToken.refresh_token_hash, OidcToken.access_token_hash]
    if hint != "refresh_token":
        order.reverse()
    for column in order:
        if (found := _find(column, raw)) is not None:
            return found
    return None


def active_access_token(raw: Any) -> TokenView | None:
    token = _find(OidcToken.access_token_hash, raw)
    if token is None or token.revoked or clock.now() >= token.expires_at:
        return None
    return token


def usable_refresh_token(raw: Any) -> TokenView | None:
    token = _find(OidcToken.refresh_token_hash, raw)
    if token is None or token.revoked or token.refresh_expires_at is None or clock.now() >= token.refresh_expires_at:
        return None
    if not active_consent_claims(token.account_id, token.client_pk):
        return None
    return token


@transactional
def spend_refresh_token(token_id: int) -> bool:
    """Revoke the old token pair when its refresh token is used; False if another request won."""
    return session().execute(update(OidcToken).where(OidcToken.id == token_id, OidcToken.revoked_at.is_(None))
                             .values(revoked_at=clock.now())).rowcount == 1


@transactional
def revoke_token(token_id: int) -> None:
    session().execute(update(OidcToken).where(OidcToken.id == token_id, OidcToken.revoked_at.is_(None))
                      .values(revoked_at=clock.now()))


@transactional
def revoke_tokens_of_code(code_hash: str) -> None:
    """A replayed authorization code: every token it yielded is revoked (RFC 6749 §4.1.2)."""
    session().execute(update(OidcToken).where(OidcToken.code_hash == code_hash, OidcToken.revoked_at.is_(None))
                      .values(revoked_at=clock.now()))
