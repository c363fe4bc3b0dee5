"""Showing a certificate (亮证): the holder at L3 picks the claims to disclose and gets a QR code."""

from __future__ import annotations

import base64
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_L
from sqlalchemy import func, select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.certificates import errors
from app.certificates.models import Certificate, CertificateShow, ShowVerification
from app.certificates.payload import MAX_PAYLOAD_BYTES, build_payload
from app.certificates.wallet import EXPIRED, REVOKED, claims_of, owned_certificate, status_of
from app.db import session, transactional
from app.identity.sessions import Principal
from app.people.models import Person
from app.security.keys import signing_keys

# Short enough that a screenshot is useless by the time it is passed on (DESIGN.md), ≤ 5 minutes.
SHOW_LIFETIME = timedelta(minutes=3)
DERIVED_CLAIMS = ("age_over_18", "age_over_60", "valid_on_date")


@dataclass(frozen=True)
class ShowResult:
    show_id: str
    payload: str
    qr_png_base64: str
    expires_at: datetime


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def derived_value(name: str, holder: Person, today: date) -> Any:
    if name == "age_over_18":
        return _age(holder.birth_date, today) >= 18
    if name == "age_over_60":
        return _age(holder.birth_date, today) >= 60
    return today.isoformat()  # valid_on_date: only valid certificates are shown at all


def qr_png_base64(payload: str) -> str:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, box_size=4, border=2)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@transactional
def show_certificate(principal: Principal, certificate_id: int, disclose: list[str],
                     derived: list[str]) -> ShowResult:
    cert, holder = owned_certificate(principal, certificate_id)
    if status_of(cert) in (REVOKED, EXPIRED):
        raise errors.CertificateNotShowable()
    claims = claims_of(cert, holder)
    unknown = sorted((set(disclose) - set(claims)) | (set(derived) - set(DERIVED_CLAIMS)))
    if unknown:
        raise errors.ShowClaimsUnknown(details={"claims": unknown})
    if not disclose and not derived:
        raise errors.ShowClaimsEmpty()
    today, now = clock.today(), clock.now()
    values = {name: claims[name] for name in dict.fromkeys(disclose)}
    values |= {name: derived_value(name, holder, today) for name in dict.fromkeys(derived)}
    show_id = secrets.token_urlsafe(12)
    expires_at = now + SHOW_LIFETIME
    payload = build_payload(signing_keys(), show_id=show_id, reference=cert.reference,
                            certificate_type=cert.type, issued_at=int(now.timestamp()),
                            expires_at=int(expires_at.timestamp()), claims=values)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise errors.ShowTooLarge(details={"max_bytes": MAX_PAYLOAD_BYTES})
    session().add(CertificateShow(id=show_id, certificate_id=cert.id, account_id=principal.account_id,
                                  disclosed=list(dict.fromkeys(disclose)), derived=list(dict.fromkeys(derived)),
                                  created_at=now, expires_at=expires_at))
    audit_log.record("certificates.shown", actor=Actor("resident", str(principal.account_id)),
                     subject_type="account", subject_id=principal.account_id,
                     details={"show_id": show_id, "certificate_type": cert.type, "claims": list(values)})
    return ShowResult(show_id, payload, qr_png_base64(payload), expires_at)


@dataclass(frozen=True)
class ShowView:
    id: str
    certificate_id: int
    certificate_type: str
    disclosed: list[str]
    derived: list[str]
    created_at: datetime
    expires_at: datetime
    verifications: list[ShowVerification]


def my_shows(principal: Principal, page: int, page_size: int) -> tuple[list[ShowView], int]:
    """Newest first, each with its verifications (two queries for the page, not one per show)."""
    s = session()
    mine = CertificateShow.account_id == principal.account_id
    total = s.scalar(select(func.count()).select_from(CertificateShow).where(mine)) or 0
    rows = s.execute(select(CertificateShow, Certificate.type)
                     .join(Certificate, Certificate.id == CertificateShow.certificate_id).where(mine)
                     .order_by(CertificateShow.created_at.desc(), CertificateShow.id)
                     .offset((page - 1) * page_size).limit(page_size)).all()
    checks: dict[str, list[ShowVerification]] = {}
    ids = [row[0].id for row in rows]
    if ids:
        for check in s.scalars(select(ShowVerification).where(ShowVerification.show_id.in_(ids))
                               .order_by(ShowVerification.verified_at.desc(), ShowVerification.id.desc())):
            checks.setdefault(check.show_id, []).append(check)
    return [ShowView(show.id, show.certificate_id, kind, show.disclosed, show.derived, show.created_at,
                     show.expires_at, checks.get(show.id, [])) for show, kind in rows], total
