"""Public online verification of a shown certificate: signature, expiry, and the status *now*.

Every check of a genuine payload is recorded against its show (the holder sees it), and a
successful one is a data-tracker read of the holder's data by the verifier.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import clock, ratelimit
from app.audit import log as audit_log
from app.audit.log import Actor
from app.certificates.catalogue import certificate_type
from app.certificates.errors import (
    CertificateExpired,
    CertificateRevoked,
    ShowExpired,
    ShowSignatureInvalid,
    VerifyRateLimited,
)
from app.certificates.models import Certificate, CertificateShow, ShowVerification
from app.certificates.payload import OpenedShow, open_payload
from app.certificates.showing import DERIVED_CLAIMS
from app.certificates.wallet import EXPIRED, REVOKED, STATUS_LABELS, status_of
from app.db import session, transactional
from app.errors import AppError
from app.security.keys import signing_keys

VERIFY_LIMIT_PER_MINUTE = 30


@dataclass(frozen=True)
class VerificationResult:
    certificate_type: str
    certificate_type_name: str
    issuer: str
    status: str
    status_label: str
    claims: dict[str, Any]
    derived: dict[str, Any]
    shown_at: datetime
    expires_at: datetime


def verify_show(payload: str, client_address: str) -> VerificationResult:
    # Keyed by a hash so verifier addresses are not kept in Redis in the clear.
    client = hashlib.sha256(client_address.encode()).hexdigest()[:32]
    ratelimit.hit(f"verify:{client}", limit=VERIFY_LIMIT_PER_MINUTE, window_seconds=60,
                  error=VerifyRateLimited)
    opened = open_payload(payload, signing_keys().jwks())
    show = session().get(CertificateShow, opened.show_id)
    cert = None if show is None else session().get(Certificate, show.certificate_id)
    if show is None or cert is None or cert.reference != opened.reference:
        raise ShowSignatureInvalid()  # signed by us but unknown: treat as forged
    failure: AppError | None = None
    if clock.now() >= opened.expires_at:
        failure = ShowExpired()
    elif (status := status_of(cert)) == REVOKED:
        failure = CertificateRevoked()
    elif status == EXPIRED:
        failure = CertificateExpired()
    if failure is not None:
        _record(show, failure.code, opened)
        raise failure
    kind = certificate_type(cert.type)
    _record(show, "ok", opened)
    return VerificationResult(
        kind.code, kind.name, cert.issuer, status, STATUS_LABELS[status],
        {k: v for k, v in opened.claims.items() if k not in DERIVED_CLAIMS},
        {k: v for k, v in opened.claims.items() if k in DERIVED_CLAIMS},
        opened.issued_at, opened.expires_at)


@transactional
def _record(show: CertificateShow, outcome: str, opened: OpenedShow) -> None:
    check = ShowVerification(show_id=show.id, verified_at=clock.now(), outcome=outcome)
    session().add(check)
    session().flush()
    if outcome == "ok":
        audit_log.record("data.read", actor=Actor("verifier"), subject_type="account", subject_id=show.account_id,
                         details={"data": [f"certificate.{opened.certificate_type}", *sorted(opened.claims)],
                                  "purpose": "扫码核验持证人出示的电子证照", "show_id": show.id,
                                  "verification_id": check.id})
