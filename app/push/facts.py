"""The facts a rule's placeholders and dedupe key see about a certificate; a person's are
``app.people.facts``, a licence's ``app.licences.facts`` (their own events build them too)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from app.certificates.catalogue import certificate_types
from app.people.facts import PersonColumns, person_facts
from app.security.keys import decrypt
from app.security.masking import _keep_ends, mask_id_number


class CertificateColumns(Protocol):
    """A ``Certificate`` or a row of the columns its facts need."""

    id: int
    type: str
    number_enc: str
    expires_on: date


def certificate_facts(cert: CertificateColumns, holder: PersonColumns, today: date) -> dict[str, Any]:
    number = decrypt(cert.number_enc, "certificate.number")
    kind = certificate_types().get(cert.type)
    masked = mask_id_number(number) if cert.type == "resident_id_card" else _keep_ends(number, 2, 2)
    return {"certificate.id": cert.id, "certificate.type": cert.type,
            "certificate.type_name": kind.name if kind else cert.type, "certificate.number_masked": masked,
            "certificate.expires_on": cert.expires_on, **person_facts(holder, today)}
