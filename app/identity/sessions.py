"""Sessions: short Ed25519 access tokens and rotating refresh tokens (OWASP ASVS 5.0, 7.3/10.4).

A refresh token is spent by one conditional UPDATE, so two concurrent refreshes cannot both win.
A client that refreshes twice at once (an ordinary mobile race) presents the immediately previous
token again: within ``REFRESH_GRACE_SECONDS`` of its spending, and while the pair it was exchanged
for is still unspent, it gets that same pair back (sealed on the spent row under a key derived from
the presented token, so the table alone opens nothing). Any other presentation of a spent token —
after the grace, or once its successor has been spent — revokes its whole family; an expired one
is only refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import bindparam, select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import SessionRevoked, Unauthenticated
from app.identity import errors, session_cache
from app.identity.models import Account, AuthSession, RefreshToken
from app.identity.session_cache import AccountSnapshot
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
class ActingFor:
    """The person a request acts for (亲属代办), set by the API's acting policy (``app.acting.represented``).

    ``account_id`` is the represented person's own account, if they have one; ``actor_account_id``
    the signed-in resident doing it; ``relation`` is ``guardian`` (a parent, from household records)
    or ``proxy`` (a grant, ``grant_id``).
    """

    person_id: int
    account_id: int | None
    actor_account_id: int
    relation: str
    scopes: tuple[str, ...]
    grant_id: int | None = None


@dataclass(frozen=True)
class Principal:
    """Who a resident request is for. Acting for someone, ``account_id`` is the represented person's
    account on account-keyed endpoints (their applications, tickets, inbox) and stays the actor's on
    person-keyed ones (certificates, held by the person); ``acting`` then says who acts for whom."""

    account_id: int
    session_id: str
    level: int
    l3_lapses_at: datetime | None
    acting: ActingFor | None = None
    # What the session check read of the account, for the rest of the request: its row on a miss, the
    # cached snapshot on a hit (read-only either way; a use case that changes the account loads it).
    account: Account | AccountSnapshot | None = field(default=None, compare=False, repr=False)

    @property
    def actor_account_id(self) -> int:
        """The signed-in resident's own account, acting or not."""
        return self.acting.actor_account_id if self.acting else self.account_id


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


def _new_refresh_token(session_id: str, now: datetime) -> tuple[str, RefreshToken]:
    raw = secrets.token_urlsafe(32)
    row = RefreshToken(session_id=session_id, token_hash=_hash(raw), created_at=now,
                       idle_expires_at=now + IDLE_TIMEOUT)
    session().add(row)
    return raw, row


def _seal_key(raw_token: str) -> AESGCM:
    # The refresh token carries 256 random bits: a domain-separated hash of it is a fine AES key.
    return AESGCM(hashlib.sha256(b"yss refresh grace\x00" + raw_token.encode()).digest())


def _seal(raw_token: str, pair: TokenPair) -> str:
    nonce = secrets.token_bytes(12)
    plain = json.dumps([pair.access_token, pair.refresh_token, pair.expires_in]).encode()
    return base64.b64encode(nonce + _seal_key(raw_token).encrypt(nonce, plain, None)).decode()


def _unseal(raw_token: str, sealed: str, session_id: str) -> TokenPair | None:
    try:
        data = base64.b64decode(sealed)
        access, refresh_token, expires_in = json.loads(_seal_key(raw_token).decrypt(data[:12], data[12:], None))
    except (InvalidTag, ValueError, TypeError):
        return None
    return TokenPair(access, refresh_token, expires_in, session_id)


def _grace_replay(token: RefreshToken, raw_token: str, now: datetime) -> TokenPair | None:
    """The pair ``token`` was just exchanged for, when this is a concurrent refresh within the grace."""
    grace = timedelta(seconds=get_settings().refresh_grace_seconds)
    if token.used_at is None or token.successor_sealed is None or now > token.used_at + grace:
        return None
    successor = session().get(RefreshToken, token.successor_id) if token.successor_id else None
    if successor is None or successor.used_at is not None:
        return None  # the client has moved on: the old token again is a thief's
    return _unseal(raw_token, token.successor_sealed, token.session_id)


def start_session(account: Account) -> TokenPair:
    """A new session family for ``account``; call inside the login use case's transaction."""
    now = clock.now()
    family = AuthSession(id=secrets.token_hex(16), account_id=account.id, created_at=now,
                         expires_at=now + ABSOLUTE_LIFETIME, last_used_at=now)
    session().add(family)
    session().flush()
    refresh_token, _row = _new_refresh_token(family.id, now)
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
        session().refresh(token)  # the winner's commit: its spending and the pair it got
        replay = _grace_replay(token, raw_token, now)
        if replay is not None:
            return replay
        _revoke(family, "refresh_token_reused", now)
        audit_log.record("session.refresh_reused", actor=Actor("resident", str(account.id)),
                         subject_type="account", subject_id=account.id, outcome="revoked",
                         details={"session_id": family.id})
        return errors.RefreshTokenReused()
    family.last_used_at = now
    new_refresh, new_row = _new_refresh_token(family.id, now)
    access_token, ttl = _access_token(account, family.id)
    pair = TokenPair(access_token, new_refresh, ttl, family.id)
    s.flush()
    token.successor_id, token.successor_sealed = new_row.id, _seal(raw_token, pair)
    return pair


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
    session_cache.invalidate_after_commit(session(), {account_id})  # a bulk UPDATE: the ORM sees no row
    audit_log.record(f"session.{reason}", actor=actor, subject_type="account", subject_id=account_id,
                     details={"sessions_ended": ended})
    return ended


_SESSION_AND_ACCOUNT = (select(AuthSession, Account).join(Account, Account.id == AuthSession.account_id)
                        .where(AuthSession.id == bindparam("sid")))  # built once: every request on a miss


def authenticate(access_token: str, *, prefetch: Callable[[int], None] | None = None) -> Principal:
    """The principal behind a bearer token, checked against its live session on every request:
    from the session cache when it holds the session, else from the database (then cached).

    ``prefetch`` is called with the token's (verified) account id before the session check's round
    trip to Redis, so reads it defers (``ratelimit.defer_reads``) join that round trip."""
    claims = signing_keys().verify(access_token, audience=AUDIENCE)
    session_id, subject = claims.get("sid"), claims.get("sub")
    if not isinstance(session_id, str) or not isinstance(subject, str) or not subject.isdigit():
        raise errors.TokenInvalid()
    if prefetch is not None:
        prefetch(int(subject))
    cached = session_cache.lookup(session_id, subject)
    now = clock.now()
    if cached.account is not None:
        return Principal(int(subject), session_id, cached.account.level(now, l3_max_age()),
                         cached.account.l3_lapses_at(l3_max_age()), account=cached.account)
    row = session().execute(_SESSION_AND_ACCOUNT, {"sid": session_id}).first()
    if row is None or str(row.Account.id) != subject:
        raise errors.TokenInvalid()
    family, account = row.AuthSession, row.Account
    if family.revoked_at is not None:
        raise SessionRevoked()
    if account.disabled_at is not None:
        raise errors.AccountDisabled()
    session_cache.remember(family.id, account, cached.generation)
    return Principal(account.id, family.id, account.level(now, l3_max_age()),
                     account.l3_lapses_at(l3_max_age()), account=account)
