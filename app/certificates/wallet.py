"""The wallet: certificates written by authorities, their derived status, and the holder's views."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.certificates.catalogue import CertificateType, certificate_type
from app.certificates.models import Certificate
from app.db import session
from app.errors import NotFound
from app.identity.sessions import Principal
from app.people.models import Person
from app.people.persons import person_of_account
from app.security.keys import decrypt, encrypt, lookup_hash

VALID, EXPIRING, EXPIRED, REVOKED = "valid", "expiring", "expired", "revoked"
STATUS_LABELS = {VALID: "有效", EXPIRING: "即将到期", EXPIRED: "已过期", REVOKED: "已注销"}


def derive_status(kind: CertificateType, expires_on: date | None, revoked: bool, today: date) -> str:
    """Valid through ``expires_on`` itself; expiring from ``window`` days before it (inclusive)."""
    if revoked:
        return REVOKED
    if expires_on is None or kind.renewal_window_days is None:
        return VALID
    if today > expires_on:
        return EXPIRED
    if today >= expires_on - timedelta(days=kind.renewal_window_days):
        return EXPIRING
    return VALID


def status_of(cert: Certificate, today: date | None = None) -> str:
    return derive_status(certificate_type(cert.type), cert.expires_on, cert.revoked_at is not None,
                         today or clock.today())


def find_certificate(type_code: str, number: str) -> Certificate | None:
    stmt = select(Certificate).where(Certificate.type == type_code,
                                     Certificate.number_hash == lookup_hash(number, "certificate.number"))
    return session().scalars(stmt).first()


def upsert_certificate(holder: Person, *, type_code: str, number: str, holder_name: str, issuer: str | None,
                       issued_on: date, expires_on: date | None, fields: dict[str, Any],
                       authority_id: str) -> Certificate:
    kind = certificate_type(type_code)
    cert = find_certificate(kind.code, number)
    if cert is None:
        cert = Certificate(type=kind.code, number_enc=encrypt(number, "certificate.number"),
                           number_hash=lookup_hash(number, "certificate.number"),
                           reference=secrets.token_urlsafe(12))
        session().add(cert)
    if cert.authority_id is None:  # its first issuer owns it (intake refuses any other)
        cert.authority_id = authority_id
    cert.holder_id = holder.id
    cert.holder_name_enc = encrypt(holder_name, "certificate.holder_name")
    cert.issuer = issuer or kind.issuer
    cert.issued_on, cert.expires_on, cert.fields = issued_on, expires_on, fields
    cert.updated_at = clock.now()
    session().flush()
    return cert


def revoke(cert: Certificate, reason: str) -> None:
    if cert.revoked_at is None:
        cert.revoked_at, cert.revoked_reason = clock.now(), reason
        session().flush()


def reinstate(cert: Certificate) -> None:
    """Undo a revocation made in error: the certificate is shown and verified again."""
    if cert.revoked_at is not None:
        cert.revoked_at, cert.revoked_reason, cert.updated_at = None, None, clock.now()
        session().flush()


@dataclass(frozen=True)
class CertificateView:
    id: int
    type: str
    type_name: str
    issuer: str
    status: str
    status_label: str
    issued_on: date
    expires_on: date | None
    renewal_window_days: int | None
    claims: dict[str, Any]


def claims_of(cert: Certificate, holder: Person) -> dict[str, Any]:
    """Every claim the holder may disclose when showing the certificate."""
    claims: dict[str, Any] = {
        "name": decrypt(cert.holder_name_enc, "certificate.holder_name"),
        "number": decrypt(cert.number_enc, "certificate.number"),
        "issued_on": cert.issued_on.isoformat(),
        "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
        "birth_date": holder.birth_date.isoformat(),
        "sex": holder.sex,
    }
    return {**{k: v for k, v in (cert.fields or {}).items() if k not in claims}, **claims}


def view_of(cert: Certificate, holder: Person) -> CertificateView:
    kind = certificate_type(cert.type)
    status = status_of(cert)
    return CertificateView(cert.id, kind.code, kind.name, cert.issuer, status, STATUS_LABELS[status],
                           cert.issued_on, cert.expires_on, kind.renewal_window_days, claims_of(cert, holder))


def holder_of(principal: Principal) -> Person:
    """Whose wallet the principal opens: their own, or that of the person they act for."""
    if principal.acting is not None:
        return session().get(Person, principal.acting.person_id)
    return person_of_account(principal.account_id)


def my_certificates(principal: Principal) -> list[CertificateView]:
    person = holder_of(principal)
    certs = session().scalars(select(Certificate).where(Certificate.holder_id == person.id)
                              .order_by(Certificate.type, Certificate.id)).all()
    return [view_of(cert, person) for cert in certs]


def owned_certificate(principal: Principal, certificate_id: int) -> tuple[Certificate, Person]:
    """The certificate if it is the principal's (or theirs they act for); otherwise the same 404 as a missing one."""
    person = holder_of(principal)
    cert = session().get(Certificate, certificate_id)
    if cert is None or cert.holder_id != person.id:
        raise NotFound()
    return cert, person


def my_certificate(principal: Principal, certificate_id: int) -> CertificateView:
    return view_of(*owned_certificate(principal, certificate_id))
