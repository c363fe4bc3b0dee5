"""Sessions: short Ed25519 access tokens and rotating refresh tokens (OWASP ASVS 5.0, 7.3/10.4).

A refresh token is spent by one conditional UPDATE, so two concurrent refreshes cannot both win.
Presenting a spent token again revokes its whole family; an expired one is only refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import SessionRevoked, Unauthenticated
from app.identity import errors
from app.identity.models import Account, AuthSession, RefreshToken
from app.security.keys import signing_keys
from config import get_settings

AUDIENCE = "yss:resident"
ABSOLUTE_LIFETIME = timedelta(days=30)
IDLE_TIMEOUT = timedelta(days=7)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str


@dataclass(frozen=True)
class Principal:
    account_id: int
    session_id: str
    level: int
    l3_lapses_at: datetime | None


def l3_max_age() -> timedelta:
    return timedelta(days=get_settings().l3_max_age_days)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _access_token(account: Account, session_id: str) -> tuple[str, int]:
    ttl = get_settings().access_token_minutes * 60
    level = account.level(clock.now(), l3_max_age())
    claims = {"sub": str(account.id), "sid": session_id, "lvl": level}
    return signing_keys().sign(claims, ttl_seconds=ttl, audience=AUDIENCE,
                               now=int(clock.now().timestamp())), ttl


def _new_refresh_token(session_id: str, now: datetime) -> str:
    raw = secrets.token_urlsafe(32)
    session().add(RefreshToken(session_id=session_id, token_hash=_hash(raw), created_at=now,
                               idle_expires_at=now + IDLE_TIMEOUT))
    return raw


def start_session(account: Account) -> TokenPair:
    """A new session family for ``account``; call inside the login use case's transaction."""
    now = clock.now()
    family = AuthSession(id=secrets.token_hex(16), account_id=account.id, created_at=now,
                         expires_at=now + ABSOLUTE_LIFETIME, last_used_at=now)
    session().add(family)
    session().flush()
    refresh_token = _new_refresh_token(family.id, now)
    access_token, ttl = _access_token(account, family.id)
    return TokenPair(access_token, refresh_token, ttl, family.id)


def refresh(raw_token: str) -> TokenPair:
    outcome = _spend_refresh_token(raw_token)
    if isinstance(outcome, TokenPair):
        return outcome
    raise outcome  # raised after the commit, so a reuse's revocation is kept


@transactional
def _spend_refresh_token(raw_token: str) -> TokenPair | Unauthenticated:
    s = session()
    now = clock.now()
    token = s.scalars(select(RefreshToken).where(RefreshToken.token_hash == _hash(raw_token))).first()
    if token is None:
        return errors.RefreshTokenInvalid()
    family = s.get(AuthSession, token.session_id)
    account = s.get(Account, family.account_id)
    if family.revoked_at is not None:
        return SessionRevoked()
    if account.disabled_at is not None:
        return errors.AccountDisabled()
    if now >= token.idle_expires_at or now >= family.expires_at:
        return errors.RefreshTokenExpired()
    spent = s.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if spent == 0:
        _revoke(family, "refresh_token_reused", now)
        audit_log.record("session.refresh_reused", actor=Actor("resident", str(account.id)),
                         subject_type="account", subject_id=account.id, outcome="revoked",
                         details={"session_id": family.id})
        return errors.RefreshTokenReused()
    family.last_used_at = now
    new_refresh = _new_refresh_token(family.id, now)
    access_token, ttl = _access_token(account, family.id)
    return TokenPair(access_token, new_refresh, ttl, family.id)


def _revoke(family: AuthSession, reason: str, now: datetime) -> None:
    if family.revoked_at is None:
        family.revoked_at, family.revoked_reason = now, reason


@transactional
def logout(principal: Principal) -> None:
    family = session().get(AuthSession, principal.session_id)
    _revoke(family, "logout", clock.now())
    audit_log.record("session.logout", actor=Actor("resident", str(principal.account_id)),
                     subject_type="account", subject_id=principal.account_id,
                     details={"session_id": principal.session_id})


@transactional
def logout_everywhere(principal: Principal) -> int:
    return end_all_sessions(principal.account_id, "logout_everywhere",
                            Actor("resident", str(principal.account_id)))


def end_all_sessions(account_id: int, reason: str, actor: Actor) -> int:
    """Revoke every live session of an account (logout everywhere, disabling an account)."""
    now = clock.now()
    ended = session().execute(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    ).rowcount
    audit_log.record(f"session.{reason}", actor=actor, subject_type="account", subject_id=account_id,
                     details={"sessions_ended": ended})
    return ended


def authenticate(access_token: str) -> Principal:
    """The principal behind a bearer token, checked against its live session on every request."""
    claims = signing_keys().verify(access_token, audience=AUDIENCE)
    s = session()
    row = s.execute(
        select(AuthSession, Account)
        .join(Account, Account.id == AuthSession.account_id)
        .where(AuthSession.id == claims.get("sid"))
    ).first()
    if row is None or str(row.Account.id) != claims.get("sub"):
        raise errors.TokenInvalid()
    family, account = row.AuthSession, row.Account
    if family.revoked_at is not None:
        raise SessionRevoked()
    if account.disabled_at is not None:
        raise errors.AccountDisabled()
    now = clock.now()
    return Principal(account.id, family.id, account.level(now, l3_max_age()),
                     account.l3_lapses_at(l3_max_age()))
