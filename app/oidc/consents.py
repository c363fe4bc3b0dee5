"""The resident's side: what a client asks for, the answer, and 我的授权 (list, revoke).

A consent is per client and per claim; optional claims may be declined. The request is answered
only at the level it needs (the client's minimum, its ``acr_values``, the claims' own); below it the
mini program takes the resident through the missing step and back to the same request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.identity.errors import LevelRequired
from app.identity.models import AuthSession
from app.identity.profile import level_of
from app.identity.sessions import Principal
from app.oidc import requests
from app.oidc.claims import CLAIMS, claims_for_scopes, labels
from app.oidc.clients import ClientView, find_client
from app.oidc.errors import AuthorizationRequestNotFound, ClaimNotRequested, ConsentNotFound, RequiredClaimDeclined
from app.oidc.models import OidcClient, OidcConsent, OidcToken
from app.paging import Page, Window, fetch_page

ACR_PREFIX = "yss:L"
LEVEL_LABELS = {0: "微信登录", 1: "绑定手机号", 2: "实名认证", 3: "人脸识别"}


def acr_of(level: int) -> str:
    return f"{ACR_PREFIX}{level}"


def level_of_acr_values(acr_values: str | None) -> int:
    """The lowest level among the requested ``acr_values`` (any of them satisfies the client)."""
    levels = [int(v[len(ACR_PREFIX):]) for v in (acr_values or "").split()
              if v.startswith(ACR_PREFIX) and v[len(ACR_PREFIX):] in ("0", "1", "2", "3")]
    return min(levels, default=0)


@dataclass(frozen=True)
class RequestedClaim:
    name: str
    label: str
    purpose: str
    optional: bool
    source: str
    granted_before: bool


@dataclass(frozen=True)
class ConsentRequestView:
    request_id: str
    client_id: str
    client_name: str
    department: str
    logo_text: str
    claims: tuple[RequestedClaim, ...]
    required_level: int
    current_level: int

    @property
    def level_met(self) -> bool:
        return self.current_level >= self.required_level


@dataclass(frozen=True)
class GrantedUser:
    """The resident's answer, handed to the protocol layer to issue the code."""
    account_id: int
    claims: tuple[str, ...]
    acr: str
    auth_time: int


@dataclass(frozen=True)
class Approval:
    params: dict[str, str]
    user: GrantedUser | None  # None: the resident declined


@dataclass(frozen=True)
class ConsentView:
    client_id: str
    client_name: str
    department: str
    claims: list[str]
    claim_labels: list[str]
    declined_labels: list[str]
    granted_at: datetime


def requested_claims(client: ClientView, scope: str | None) -> list[str]:
    """The claims the request's scopes ask for, among those registered for the client."""
    allowed = {c.name for c in client.claims}
    return [c for c in claims_for_scopes((scope or "").split()) if c in allowed]


def required_level(client: ClientView, params: dict[str, str]) -> int:
    claims = requested_claims(client, params.get("scope"))
    return max([client.min_level, level_of_acr_values(params.get("acr_values"))]
               + [CLAIMS[c].level for c in claims])


def _consent(account_id: int, client_pk: int) -> OidcConsent | None:
    return session().scalars(select(OidcConsent).where(OidcConsent.account_id == account_id,
                                                       OidcConsent.client_pk == client_pk)).first()


def _client_of(params: dict[str, str]) -> ClientView:
    client = find_client(params.get("client_id"))
    if client is None:
        raise AuthorizationRequestNotFound()
    return client


def describe_request(principal: Principal, request_id: str) -> ConsentRequestView:
    params = requests.pending_params(request_id)
    client = _client_of(params)
    consent = _consent(principal.account_id, client.id)
    before = set(consent.claims) if consent and consent.revoked_at is None else set()
    claims = tuple(RequestedClaim(c, spec.label, spec.purpose, spec.optional, spec.source, c in before)
                   for c in requested_claims(client, params.get("scope")) if (spec := client.claim(c)))
    return ConsentRequestView(request_id, client.client_id, client.name, client.department, client.logo_text,
                              claims, required_level(client, params), level_of(principal.account_id))


def approve_request(principal: Principal, request_id: str, claims: list[str]) -> Approval:
    params = requests.pending_params(request_id)
    client = _client_of(params)
    requested = requested_claims(client, params.get("scope"))
    needed, level = required_level(client, params), level_of(principal.account_id)
    if level < needed:
        raise LevelRequired(f"{client.name}要求先完成{LEVEL_LABELS[needed]}（L{needed}）",
                            details={"required_level": needed, "current_level": level})
    if stray := sorted(set(claims) - set(requested)):
        raise ClaimNotRequested(details={"claims": stray})
    if missing := [c for c in requested if c not in claims and not client.claim(c).optional]:
        raise RequiredClaimDeclined(details={"claims": missing})
    granted = tuple(c for c in requested if c in claims)
    _record_consent(principal, client, granted, [c for c in requested if c not in granted])
    params = requests.take_params(request_id)
    started = session().get(AuthSession, principal.session_id)
    auth_time = int((started.created_at if started else clock.now()).timestamp())
    return Approval(params, GrantedUser(principal.account_id, granted, acr_of(level), auth_time))


def deny_request(principal: Principal, request_id: str) -> Approval:
    return Approval(requests.take_params(request_id), None)


@transactional
def _record_consent(principal: Principal, client: ClientView, granted: tuple[str, ...], declined: list[str]) -> None:
    now = clock.now()
    consent = _consent(principal.account_id, client.id)
    if consent is None:
        consent = OidcConsent(account_id=principal.account_id, client_pk=client.id)
        session().add(consent)
    consent.claims, consent.declined, consent.granted_at, consent.revoked_at = list(granted), declined, now, None
    audit_log.record("oidc.consent_granted", actor=Actor("resident", str(principal.account_id)),
                     subject_type="account", subject_id=principal.account_id,
                     details={"client_id": client.client_id, "claims": list(granted), "declined": declined})


def active_consent_claims(account_id: int, client_pk: int) -> set[str]:
    consent = _consent(account_id, client_pk)
    return set(consent.claims) if consent and consent.revoked_at is None else set()


def _consent_view(row: tuple[OidcConsent, OidcClient]) -> ConsentView:
    consent, client = row
    return ConsentView(client.client_id, client.name, client.department, list(consent.claims),
                       labels(consent.claims), labels(consent.declined), consent.granted_at)


def my_consents(principal: Principal, window: Window) -> Page[ConsentView]:
    stmt = (select(OidcConsent, OidcClient).join(OidcClient, OidcClient.id == OidcConsent.client_pk)
            .where(OidcConsent.account_id == principal.account_id, OidcConsent.revoked_at.is_(None))
            .order_by(OidcConsent.granted_at.desc(), OidcConsent.id.desc()))
    return fetch_page(session(), stmt, window, _consent_view)


@transactional
def revoke_consent(principal: Principal, client_id: str) -> None:
    """End the consent and every token issued to the client for this resident (refresh included)."""
    client = find_client(client_id)
    consent = _consent(principal.account_id, client.id) if client else None
    if consent is None or consent.revoked_at is not None:
        raise ConsentNotFound()
    now = clock.now()
    consent.revoked_at = now
    session().execute(update(OidcToken).where(OidcToken.account_id == principal.account_id,
                                              OidcToken.client_pk == client.id, OidcToken.revoked_at.is_(None))
                      .values(revoked_at=now))
    audit_log.record("oidc.consent_revoked", actor=Actor("resident", str(principal.account_id)),
                     subject_type="account", subject_id=principal.account_id,
                     details={"client_id": client.client_id})
