"""The facts a rule's placeholders and dedupe key see, built the same way by scans and event emitters."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.certificates.catalogue import certificate_types
from app.certificates.models import Certificate
from app.entities.models import Entity
from app.licences.catalogue import catalogue
from app.licences.models import Licence
from app.people.models import Person
from app.people.persons import person_name
from app.security.keys import decrypt
from app.security.masking import _keep_ends, mask_id_number, mask_name


def entity_facts(entity: Entity) -> dict[str, Any]:
    return {"entity.id": entity.id, "entity.name": entity.name, "entity.uscc": entity.uscc}


def licence_facts(licence: Licence, entity: Entity) -> dict[str, Any]:
    kind = catalogue().get(licence.type_code)
    return {"licence.id": licence.id, "licence.number": licence.number, "licence.type": licence.type_code,
            "licence.type_name": kind.name if kind else licence.type_code, "licence.valid_until": licence.valid_until,
            "licence.state": licence.state, **entity_facts(entity)}


def as_payload(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts as JSON for an outbox event (dates ISO; ``events`` reads them back as dates)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in facts.items()}


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def person_facts(person: Person, today: date, prefix: str = "person") -> dict[str, Any]:
    name = person_name(person)
    return {f"{prefix}.id": person.id, f"{prefix}.name_masked": mask_name(name) if name else "",
            f"{prefix}.birth_date": person.birth_date, f"{prefix}.age": age_on(person.birth_date, today)}


def certificate_facts(cert: Certificate, holder: Person, today: date) -> dict[str, Any]:
    number = decrypt(cert.number_enc, "certificate.number")
    kind = certificate_types().get(cert.type)
    masked = mask_id_number(number) if cert.type == "resident_id_card" else _keep_ends(number, 2, 2)
    return {"certificate.id": cert.id, "certificate.type": cert.type,
            "certificate.type_name": kind.name if kind else cert.type, "certificate.number_masked": masked,
            "certificate.expires_on": cert.expires_on, **person_facts(holder, today)}
