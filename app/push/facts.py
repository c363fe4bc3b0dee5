"""The facts a rule's placeholders and dedupe key see about a certificate; a person's are
``app.people.facts``, a licence's ``app.licences.facts`` (their own events build them too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.certificates.catalogue import certificate_types
from app.certificates.models import Certificate
from app.people.facts import person_facts
from app.people.models import Person
from app.security.keys import decrypt
from app.security.masking import _keep_ends, mask_id_number


def certificate_facts(cert: Certificate, holder: Person, today: date) -> dict[str, Any]:
    number = decrypt(cert.number_enc, "certificate.number")
    kind = certificate_types().get(cert.type)
    masked = mask_id_number(number) if cert.type == "resident_id_card" else _keep_ends(number, 2, 2)
    return {"certificate.id": cert.id, "certificate.type": cert.type,
            "certificate.type_name": kind.name if kind else cert.type, "certificate.number_masked": masked,
            "certificate.expires_on": cert.expires_on, **person_facts(holder, today)}
