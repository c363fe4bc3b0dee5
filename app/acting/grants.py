"""Proxy grants: an adult at L3 (or hall staff, after an in-person check) lets another verified
person act for them, within scopes, for at most three years; either side may end it at any time.

A grant is live as soon as it is made: the grantor chose the grantee by name and ID number, and
the grantee sees it among the grants they hold and may decline it (revoke it) whenever they like.
``grant`` is the one way in, for the resident's own endpoint and for hall staff (``recorded_by``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.acting import errors
from app.acting.models import SCOPES, ProxyGrant
from app.acting.represented import live_grants, own_person
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.identity.accounts import find_by_id_number, get_account, real_name
from app.identity.models import L2
from app.identity.sessions import Principal, l3_max_age
from app.people.models import Person
from app.people.persons import person_id_number, person_name, person_of_account
from app.security.masking import mask_id_number, mask_name

MAX_GRANT = timedelta(days=3 * 365)
GRANTOR, GRANTEE, STAFF = "grantor", "grantee", "staff"


@dataclass(frozen=True)
class ProxyGrantView:
    id: int
    side: str  # granted (I am the grantor) | received (I am the grantee)
    other_name: str  # masked
    other_id_number: str  # masked
    scopes: list[str]
    status: str
    recorded_by: str  # resident | staff
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None


def _view(grant: ProxyGrant, side: str) -> ProxyGrantView:
    if side == "granted":
        identity = real_name(get_account(grant.grantee_account_id)) or ("", "")
    else:
        person = session().get(Person, grant.grantor_person_id)
        identity = (person_name(person) or "", person_id_number(person))
    return ProxyGrantView(grant.id, side, mask_name(identity[0]), mask_id_number(identity[1]), list(grant.scopes),
                          grant.status(clock.now()), grant.recorded_by_type, grant.created_at, grant.expires_at,
                          grant.revoked_at, grant.revoked_by)


@transactional
def grant(grantor: Person, grantee_name: str, grantee_id_number: str, scopes: list[str], expires_at: datetime,
          *, recorded_by: Actor, details: dict[str, Any] | None = None) -> ProxyGrant:
    """Let the verified resident named by ``grantee_name`` + ``grantee_id_number`` act for ``grantor``.

    ``recorded_by`` is the grantor's own account (``Actor("resident", id)``) or the hall officer who
    checked the grantor in person (``Actor("staff", id)``, ``details`` naming the hall and the check).
    """
    now = clock.now()
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise errors.ProxyScopeInvalid(details={"allowed": list(SCOPES)})
    if not now < expires_at <= now + MAX_GRANT:
        raise errors.ProxyExpiryInvalid()
    grantee = find_by_id_number(grantee_id_number.strip().upper())
    identity = real_name(grantee) if grantee is not None else None
    if (grantee is None or identity is None or identity[0] != grantee_name.strip()
            or grantee.level(now, l3_max_age()) < L2 or grantee.id == grantor.account_id
            or grantee.disabled_at is not None):
        raise errors.GranteeNotEligible()
    existing = session().scalars(live_grants(now).where(ProxyGrant.grantor_person_id == grantor.id,
                                                        ProxyGrant.grantee_account_id == grantee.id)).first()
    if existing is not None:
        raise errors.ProxyAlreadyGranted(details={"grant_id": existing.id})
    row = ProxyGrant(grantor_person_id=grantor.id, grantee_account_id=grantee.id,
                     scopes=sorted(set(scopes), key=SCOPES.index), created_at=now, expires_at=expires_at,
                     recorded_by_type=recorded_by.type, recorded_by_id=recorded_by.id or "", details=details or {})
    session().add(row)
    session().flush()
    audit_log.record("acting.grant", actor=recorded_by, subject_type="person", subject_id=grantor.id,
                     details={"grant_id": row.id, "grantee_account_id": grantee.id, "scopes": row.scopes,
                              "expires_at": expires_at.isoformat(), **(details or {})})
    return row


@transactional
def grant_as_resident(principal: Principal, grantee_name: str, grantee_id_number: str, scopes: list[str],
                      expires_at: datetime) -> ProxyGrantView:
    """The resident's own grant (the endpoint requires L3)."""
    grantor = person_of_account(principal.account_id)
    row = grant(grantor, grantee_name, grantee_id_number, scopes, expires_at,
                recorded_by=Actor("resident", str(principal.account_id)))
    return _view(row, "granted")


def granted_by(account_id: int) -> list[ProxyGrantView]:
    """Grants the resident made (or hall staff recorded for them), newest first."""
    person = own_person(account_id)
    if person is None:
        return []
    rows = session().scalars(select(ProxyGrant).where(ProxyGrant.grantor_person_id == person.id)
                             .order_by(ProxyGrant.id.desc()))
    return [_view(row, "granted") for row in rows]


def received_by(account_id: int) -> list[ProxyGrantView]:
    """Grants that let the resident act for someone, newest first."""
    rows = session().scalars(select(ProxyGrant).where(ProxyGrant.grantee_account_id == account_id)
                             .order_by(ProxyGrant.id.desc()))
    return [_view(row, "received") for row in rows]


@transactional
def revoke_as_resident(principal: Principal, grant_id: int) -> None:
    """Either side ends a grant; anyone else (or an unknown id) gets ``proxy_grant_not_found``."""
    row = session().get(ProxyGrant, grant_id) if 0 < grant_id < 2**31 else None
    person = own_person(principal.account_id)
    if row is not None and row.grantee_account_id == principal.account_id:
        side = GRANTEE
    elif row is not None and person is not None and row.grantor_person_id == person.id:
        side = GRANTOR
    else:
        raise errors.ProxyGrantNotFound()
    revoke(row, side, Actor("resident", str(principal.account_id)))


@transactional
def revoke(row: ProxyGrant, side: str, by: Actor) -> None:
    """End ``row`` now (``side``: grantor | grantee | staff); ending an ended grant changes nothing."""
    if row.revoked_at is not None:
        return
    row.revoked_at, row.revoked_by = clock.now(), side
    session().flush()
    audit_log.record("acting.revoke", actor=by, subject_type="person", subject_id=row.grantor_person_id,
                     details={"grant_id": row.id, "side": side})
