"""The registry of relying parties: registered by an operator's command, listed for admins."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from app import clock
from app.db import session, transactional
from app.identity.models import L3
from app.oidc.claims import CLAIMS, scopes_for_claims
from app.oidc.errors import ClientRegistrationInvalid
from app.oidc.models import OidcClient
from app.paging import Page, Window, fetch_page


@dataclass(frozen=True)
class ClientClaim:
    name: str
    label: str
    purpose: str
    optional: bool
    source: str


@dataclass(frozen=True)
class ClientView:
    id: int
    client_id: str
    name: str
    department: str
    logo_text: str
    public: bool
    redirect_uris: tuple[str, ...]
    claims: tuple[ClientClaim, ...]
    min_level: int
    created_at: datetime

    @property
    def scopes(self) -> tuple[str, ...]:
        """What the client may ask for: openid, refresh, and the scopes of its registered claims."""
        return ("openid", "offline_access", *scopes_for_claims([c.name for c in self.claims]))

    def claim(self, name: str) -> ClientClaim | None:
        return next((c for c in self.claims if c.name == name), None)


@dataclass(frozen=True)
class RegisteredClient:
    client: ClientView
    client_secret: str | None  # shown once; only its hash is kept


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def view(row: OidcClient) -> ClientView:
    claims = tuple(ClientClaim(name, CLAIMS[name].label, spec["purpose"], bool(spec.get("optional")),
                               CLAIMS[name].source)
                   for name, spec in row.claims.items() if name in CLAIMS)
    return ClientView(row.id, row.client_id, row.name, row.department, row.logo_text, row.secret_hash is None,
                      tuple(row.redirect_uris), claims, row.min_level, row.created_at)


def _check_redirect_uri(uri: str) -> None:
    parts = urlsplit(uri)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not loopback) or parts.fragment:
        raise ClientRegistrationInvalid(f"回调地址必须是 https（本机调试可用 http://127.0.0.1），且不含 #：{uri}",
                                        details={"redirect_uris": [uri]})


@transactional
def register_client(*, name: str, department: str, redirect_uris: list[str], claims: dict[str, str],
                    optional_claims: dict[str, str] | None = None, public: bool = False, min_level: int = 0,
                    logo_text: str | None = None, client_id: str | None = None) -> RegisteredClient:
    """Register a relying party. ``claims`` and ``optional_claims`` map each claim to its purpose."""
    optional_claims = optional_claims or {}
    if not redirect_uris:
        raise ClientRegistrationInvalid("至少登记一个回调地址", details={"redirect_uris": ["必填"]})
    for uri in redirect_uris:
        _check_redirect_uri(uri)
    unknown = sorted((set(claims) | set(optional_claims)) - set(CLAIMS))
    if unknown:
        raise ClientRegistrationInvalid(f"未知的信息项：{'、'.join(unknown)}",
                                        details={"claims": unknown, "known": sorted(CLAIMS)})
    purposes = {**{c: (p, False) for c, p in claims.items()}, **{c: (p, True) for c, p in optional_claims.items()}}
    if missing := [c for c, (p, _) in purposes.items() if not p.strip()]:
        raise ClientRegistrationInvalid("每一项信息都要写明用途", details={"claims": missing})
    if not 0 <= min_level <= L3:
        raise ClientRegistrationInvalid("最低认证等级为 0 到 3", details={"min_level": [str(min_level)]})
    secret = None if public else secrets.token_urlsafe(32)
    row = OidcClient(client_id=client_id or f"yss-{secrets.token_hex(8)}",
                     secret_hash=None if secret is None else _hash_secret(secret), name=name,
                     department=department, logo_text=(logo_text or name[:2])[:8], redirect_uris=list(redirect_uris),
                     claims={c: {"purpose": p.strip(), "optional": o} for c, (p, o) in purposes.items()},
                     min_level=min_level, created_at=clock.now())
    s = session()
    if s.scalars(select(OidcClient.id).where(OidcClient.client_id == row.client_id)).first() is not None:
        raise ClientRegistrationInvalid(f"应用标识已被使用：{row.client_id}", details={"client_id": [row.client_id]})
    s.add(row)
    s.flush()
    return RegisteredClient(view(row), secret)


def find_client(client_id: Any) -> ClientView | None:
    if not isinstance(client_id, str) or not client_id or len(client_id) > 48:
        return None
    row = session().scalars(select(OidcClient).where(OidcClient.client_id == client_id)).first()
    return None if row is None else view(row)


def client_secret_matches(client_id: str, secret: Any) -> bool:
    row = session().scalars(select(OidcClient).where(OidcClient.client_id == client_id)).first()
    if row is None or row.secret_hash is None or not isinstance(secret, str):
        return False
    return hmac.compare_digest(row.secret_hash, _hash_secret(secret))


def list_clients(window: Window) -> Page[ClientView]:
    return fetch_page(session(), select(OidcClient).order_by(OidcClient.id), window, view)

