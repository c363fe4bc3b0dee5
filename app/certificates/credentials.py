"""Issuing a certificate as an SD-JWT credential to the holder's device key (at L3).

The device key is registered here, the first time a credential is issued to it; issuing again (a new
device, or a renewal) supersedes the certificate's earlier credentials, whose status bits are then set.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.data_catalogue import data_catalogue
from app.audit.log import Actor
from app.certificates import sdjwt
from app.certificates.catalogue import CertificateType, certificate_type
from app.certificates.errors import CertificateNotShowable, StatusListFull
from app.certificates.models import Credential, DeviceKey
from app.certificates.status_list import LIST_ID, SIZE, status_list_uri
from app.certificates.wallet import EXPIRED, REVOKED, claims_of, owned_certificate, status_of
from app.db import session, transactional
from app.identity.sessions import Principal
from app.people.models import Person
from app.security.keys import signing_keys
from config import get_settings


@dataclass(frozen=True)
class IssuedCredential:
    certificate_id: int
    certificate_type: str
    certificate_type_name: str
    sd_jwt: str  # issuer-signed JWT ~ every disclosure ~ (RFC 9901 §4)
    disclosures: dict[str, str]  # claim name → its disclosure, for the page's claim picker
    derived: list[str]  # which of the claims are derived (age_over_18, …)
    claims: list[dict[str, Any]]  # [{name, label, derived}] in the type's order, for the claim picker
    device_key_thumbprint: str
    status_index: int
    issued_at: datetime
    expires_at: datetime


def claim_label(name: str) -> str:
    """A claim's Chinese label from the data catalogue (a type's own field under [fields])."""
    catalogue = data_catalogue()
    if name in catalogue.data:
        return catalogue.data[name]
    if name.startswith("age_over_") and name.removeprefix("age_over_").isdigit():
        return f"是否年满{name.removeprefix('age_over_')}周岁"
    return catalogue.data_label(f"field.{name}")


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def derived_claims(kind: CertificateType, holder: Person, today: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in kind.derived_claims:
        if name == "valid_on_date":  # only a showable (valid) certificate gets a credential at all
            values[name] = today.isoformat()
        else:
            values[name] = _age(holder.birth_date, today) >= int(name.removeprefix("age_over_"))
    return values


def _expiry(expires_on: date | None, now: datetime) -> datetime:
    """CREDENTIAL_DAYS from now, never past the end of the certificate's last valid day."""
    limit = now + timedelta(days=get_settings().credential_days)
    if expires_on is None:
        return limit
    end = datetime.combine(expires_on + timedelta(days=1), time(), clock.local_tz()).astimezone(UTC)
    return min(limit, end)


def _free_index() -> int:
    """A random free index: a credential's position tells nothing about when or to whom it was issued."""
    taken = session().scalars(select(Credential.status_index).where(Credential.status_list == LIST_ID))
    used = set(taken)
    if len(used) >= SIZE * 0.9:  # random draws would slow down; a second list is the operator's call
        raise StatusListFull()
    while True:
        index = secrets.randbelow(SIZE)
        if index not in used:
            return index


def _device_key(principal: Principal, jwk: dict[str, Any], now: datetime) -> DeviceKey:
    fingerprint = sdjwt.thumbprint(jwk)
    key = session().scalars(select(DeviceKey).where(DeviceKey.account_id == principal.account_id,
                                                    DeviceKey.thumbprint == fingerprint)).first()
    if key is None:
        key = DeviceKey(account_id=principal.account_id, thumbprint=fingerprint, jwk=sdjwt.public_jwk(jwk),
                        created_at=now)
        session().add(key)
        session().flush()
    return key


@transactional
def issue_credential(principal: Principal, certificate_id: int, device_jwk: dict[str, Any]) -> IssuedCredential:
    sdjwt.device_public_key(device_jwk)  # DeviceKeyInvalid before anything is written
    cert, holder = owned_certificate(principal, certificate_id)
    if status_of(cert) in (REVOKED, EXPIRED):
        raise CertificateNotShowable()
    kind = certificate_type(cert.type)
    now, today = clock.now(), clock.today()
    key = _device_key(principal, device_jwk, now)
    for earlier in session().scalars(select(Credential).where(Credential.certificate_id == cert.id,
                                                              Credential.superseded_at.is_(None))):
        earlier.superseded_at = now
    derived = derived_claims(kind, holder, today)
    claims = {**{k: v for k, v in claims_of(cert, holder).items() if v is not None}, **derived}
    credential = Credential(certificate_id=cert.id, device_key_id=key.id, status_list=LIST_ID,
                            status_index=_free_index(), issued_at=now, expires_at=_expiry(cert.expires_on, now))
    session().add(credential)
    session().flush()
    settings = get_settings()
    issued = sdjwt.issue(signing_keys(), issuer=settings.public_base_url, vct=f"yss:{kind.code}",
                         issued_at=int(now.timestamp()), expires_at=int(credential.expires_at.timestamp()),
                         device_jwk=key.jwk, status_index=credential.status_index,
                         status_uri=status_list_uri(LIST_ID), claims=claims)
    audit_log.record("certificates.credential_issued", actor=Actor("resident", str(principal.account_id)),
                     subject_type="person" if principal.acting else "account",
                     subject_id=holder.id if principal.acting else principal.account_id,
                     details={"certificate_type": kind.code, "credential_id": credential.id,
                              "device_key": key.thumbprint})
    shown = [{"name": n, "label": claim_label(n), "derived": n in derived}
             for n in kind.claim_order(list(issued.disclosures))]
    return IssuedCredential(cert.id, kind.code, kind.name, issued.serialized, issued.disclosures, list(derived), shown,
                            key.thumbprint, credential.status_index, now, credential.expires_at)
