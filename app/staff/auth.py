"""Staff login (password + TOTP), lockout, and staff sessions.

Staff tokens are signed by the same key ring as residents' but for another audience
(``yss:staff``), so neither kind is accepted where the other is expected; each token names a
``staff_sessions`` row that is checked on every request and can be revoked.

Lockout is keyed by (username, client address): after ``MAX_FAILURES`` consecutive failures
(wrong password, wrong or replayed code, unknown user alike) from one address, that address may
not try that username for ``LOCK_DURATION``, while the owner logs in from their own desk. A
slower global back-off guards against guessing from many addresses: after ``GLOBAL_MAX_FAILURES``
consecutive failures from anywhere the account itself is locked for ``GLOBAL_LOCK_DURATION`` (one
address, held to 5 failures per 15 minutes, needs an hour to cause it). An admin unlocks both.
The per-address counts live in Redis with our clock's ``locked_until`` (they may expire: losing
them only forgets a lockout); the global one in the account's row, counted in its own committed
transaction, so the refusal cannot roll it back.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from app import clock, ratelimit
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import AppError, SessionRevoked
from app.security import totp
from app.security.keys import decrypt, signing_keys
from app.security.passwords import hash_password, needs_rehash, verify_password
from app.security.signing import unverified_audience
from app.staff import errors, lockout
from app.staff.accounts import department_ids, find_by_username
from app.staff.models import ROLE_RANK, StaffMember, StaffSession
from app.workdays import Horizon, horizon

AUDIENCE = "yss:staff"
SESSION_LIFETIME = timedelta(hours=10)  # one working shift; no refresh, log in again
GLOBAL_MAX_FAILURES = 20  # per account, from any address
GLOBAL_LOCK_DURATION = timedelta(minutes=5)
LOGIN_LIMIT_PER_MINUTE = 20  # per client address, on top of the per-account lockout


@dataclass(frozen=True)
class StaffPrincipal:
    staff_id: int
    session_id: str
    role: str
    display_name: str
    department_ids: tuple[int, ...]

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class StaffHome:
    """What the console shows on opening: who I am, and how far the holiday calendar's official data reaches."""

    principal: StaffPrincipal
    calendar: Horizon


def staff_home(principal: StaffPrincipal) -> StaffHome:
    return StaffHome(principal, horizon(clock.today()))


@dataclass(frozen=True)
class StaffLogin:
    access_token: str
    expires_in: int
    principal: StaffPrincipal


def log_in(username: str, password: str, code: str, client_address: str | None = None) -> StaffLogin:
    ratelimit.hit(f"staff-login:{client_address}", limit=LOGIN_LIMIT_PER_MINUTE, window_seconds=60)
    key = lockout.address_key(username, client_address)
    now = clock.now()
    locked_until = lockout.locked_until(key)
    if locked_until is not None and now < locked_until:
        raise _locked(locked_until, now)
    outcome = _attempt(username, password, code)
    if isinstance(outcome, errors.InvalidCredentials):
        if (until := lockout.count_failure(key, now)) is not None:
            outcome = _locked(until, now)
    elif not isinstance(outcome, AppError):
        lockout.forget(key)
    if isinstance(outcome, AppError):
        raise outcome  # raised after the commit, so the failure count is kept
    return outcome


@transactional
def _attempt(username: str, password: str, code: str) -> StaffLogin | AppError:
    now = clock.now()
    staff = find_by_username(username)
    if staff is None or staff.disabled_at is not None:
        verify_password(password, _DUMMY_HASH)  # same cost as a real check: no timing oracle
        audit_log.record("staff.login", actor=Actor("staff"), outcome="invalid_credentials")
        return errors.InvalidCredentials()
    if staff.locked_until is not None and now < staff.locked_until:
        audit_log.record("staff.login", actor=Actor("staff", str(staff.id)), subject_type="staff",
                         subject_id=staff.id, outcome="locked")
        return _locked(staff.locked_until, now)
    step = None
    if verify_password(password, staff.password_hash):
        step = totp.match_step(decrypt(staff.totp_secret_enc, "staff.totp_secret"), code, int(now.timestamp()))
    if step is None or (staff.totp_last_step is not None and step <= staff.totp_last_step):
        reason = "bad_password_or_code" if step is None else "code_replayed"
        staff.failed_attempts += 1
        if staff.failed_attempts >= GLOBAL_MAX_FAILURES:
            staff.locked_until, staff.failed_attempts = now + GLOBAL_LOCK_DURATION, 0
            reason = "locked_now"
        audit_log.record("staff.login", actor=Actor("staff", str(staff.id)), subject_type="staff",
                         subject_id=staff.id, outcome=reason)
        if staff.locked_until and now < staff.locked_until:
            return _locked(staff.locked_until, now)
        return errors.InvalidCredentials()
    staff.totp_last_step, staff.failed_attempts, staff.locked_until = step, 0, None
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return _start_session(staff, now)


def _locked(locked_until: datetime, now: datetime) -> AppError:
    seconds = max(1, int((locked_until - now).total_seconds()))
    return errors.StaffLocked(details={"locked_until": locked_until.isoformat()}, retry_after=seconds)


def _start_session(staff: StaffMember, now) -> StaffLogin:
    row = StaffSession(id=secrets.token_hex(16), staff_id=staff.id, created_at=now,
                       expires_at=now + SESSION_LIFETIME)
    session().add(row)
    ttl = int(SESSION_LIFETIME.total_seconds())
    # exp is checked by the JWT library against the real clock, expires_at by us against ours.
    token = signing_keys().sign({"sub": str(staff.id), "sid": row.id, "role": staff.role},
                                ttl_seconds=ttl, audience=AUDIENCE)
    audit_log.record("staff.login", actor=Actor("staff", str(staff.id)), subject_type="staff",
                     subject_id=staff.id, details={"session_id": row.id})
    return StaffLogin(token, ttl, _principal(staff, row.id))


def _principal(staff: StaffMember, session_id: str) -> StaffPrincipal:
    return StaffPrincipal(staff.id, session_id, staff.role, staff.display_name, tuple(department_ids(staff.id)))


def authenticate(access_token: str) -> StaffPrincipal:
    """The staff member behind a token, checked against the live session row on every request."""
    try:
        claims = signing_keys().verify(access_token, audience=AUDIENCE)
    except AppError:
        if unverified_audience(access_token) not in (None, AUDIENCE):
            raise errors.NotAStaffToken() from None
        raise errors.StaffTokenInvalid() from None
    row = session().get(StaffSession, claims.get("sid"))
    if row is None or str(row.staff_id) != claims.get("sub"):
        raise errors.StaffTokenInvalid()
    if row.revoked_at is not None or clock.now() >= row.expires_at:
        raise SessionRevoked()
    staff = session().get(StaffMember, row.staff_id)
    if staff.disabled_at is not None:
        raise SessionRevoked()
    return _principal(staff, row.id)


@transactional
def log_out(principal: StaffPrincipal) -> None:
    row = session().get(StaffSession, principal.session_id)
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = clock.now(), "logout"
    audit_log.record("staff.logout", actor=Actor("staff", str(principal.staff_id)), subject_type="staff",
                     subject_id=principal.staff_id, details={"session_id": principal.session_id})


_DUMMY_HASH = ("scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$"
               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
