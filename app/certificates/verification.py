"""Online verification of an SD-JWT presentation: everything an offline verifier checks, plus the
status *now* and a once-only use of the key binding's nonce; recorded in the holder's data tracker.

Only a verifier that chooses to check online sends yss a presentation; an offline check (the verifier
page with a fetched JWKS and status list) reaches nobody.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock, ratelimit
from app.audit.data_catalogue import data_catalogue
from app.audit.disclosures import record_person_read, record_read
from app.audit.log import Actor
from app.certificates import sdjwt
from app.certificates.catalogue import certificate_type
from app.certificates.errors import (
    CertificateExpired,
    CertificateRevoked,
    CredentialSuperseded,
    PresentationReplayed,
    PresentationSignatureInvalid,
    VerifyRateLimited,
)
from app.certificates.models import Certificate, Credential, DeviceKey
from app.certificates.status_list import LIST_ID, status_list_uri
from app.certificates.wallet import EXPIRED, REVOKED, STATUS_LABELS, status_of
from app.db import session, transactional
from app.people.models import Person
from app.redis_store import get_redis
from app.security.keys import signing_keys

VERIFY_LIMIT_PER_MINUTE = 30
COUNTER, CHALLENGE = "counter", "challenge"


@dataclass(frozen=True)
class VerificationResult:
    certificate_type: str
    certificate_type_name: str
    issuer: str
    status: str
    status_label: str
    claims: dict[str, Any]
    derived: dict[str, Any]
    mode: str
    presented_at: datetime
    credential_expires_at: datetime


def _spend_nonce(opened: sdjwt.VerifiedPresentation) -> None:
    """A key binding is accepted once: its (audience, nonce) is remembered while it could still verify."""
    key = hashlib.sha256(f"{opened.audience}\0{opened.nonce}".encode()).hexdigest()
    ttl = max(sdjwt.CHALLENGE_MAX_AGE, sdjwt.COUNTER_MAX_AGE) + sdjwt.CLOCK_SKEW
    if not get_redis().set(f"sdjwt:kb:{key}", "1", nx=True, ex=ttl):
        raise PresentationReplayed()


def verify(presentation: str, client_address: str, *, audience: str | None = None,
           nonce: str | None = None) -> VerificationResult:
    # Keyed by a hash so verifier addresses are not kept in Redis in the clear.
    client = hashlib.sha256(client_address.encode()).hexdigest()[:32]
    ratelimit.hit(f"verify:{client}", limit=VERIFY_LIMIT_PER_MINUTE, window_seconds=60,
                  error=VerifyRateLimited)
    opened = sdjwt.verify_presentation(presentation, signing_keys().jwks(), now=clock.now(),
                                       audience=audience, nonce=nonce)
    if opened.status_uri != status_list_uri(LIST_ID):
        raise PresentationSignatureInvalid()
    row = session().execute(
        select(Credential, Certificate, DeviceKey).join(Certificate, Certificate.id == Credential.certificate_id)
        .join(DeviceKey, DeviceKey.id == Credential.device_key_id)
        .where(Credential.status_list == LIST_ID, Credential.status_index == opened.status_index)).first()
    if row is None or row[2].thumbprint != opened.holder_thumbprint:
        raise PresentationSignatureInvalid()  # signed by us, yet not a credential we issued: forged key
    credential, cert, device = row
    status = status_of(cert)
    if status == REVOKED:
        raise CertificateRevoked()
    if credential.superseded_at is not None:
        raise CredentialSuperseded()
    if status == EXPIRED:
        raise CertificateExpired()
    _spend_nonce(opened)
    kind = certificate_type(cert.type)
    _record(cert, device.account_id, kind.code, opened)
    derived = set(kind.derived_claims)
    return VerificationResult(
        kind.code, kind.name, cert.issuer, status, STATUS_LABELS[status],
        {k: v for k, v in opened.claims.items() if k not in derived},
        {k: v for k, v in opened.claims.items() if k in derived},
        COUNTER if audience is None else CHALLENGE, opened.presented_at, opened.expires_at)


@transactional
def _record(cert: Certificate, device_account_id: int, certificate_type_code: str,
            opened: sdjwt.VerifiedPresentation) -> None:
    """In the holder's data tracker — also when a parent or proxy showed it from their own device."""
    catalogue = data_catalogue()
    claims = [key if key in catalogue.data else f"field.{key}" for key in sorted(opened.claims)]
    holder = session().get(Person, cert.holder_id)
    entry = {"by": Actor("verifier"), "data": [f"certificate.{certificate_type_code}", *claims],
             "purpose": "certificate_verification", "audience": opened.audience[:200]}
    if holder is not None and holder.account_id is None:
        record_person_read(holder.id, **entry)
    else:
        record_read(holder.account_id if holder is not None else device_account_id, **entry)
