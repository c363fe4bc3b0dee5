"""The facts a rule's placeholders and dedupe key see, built the same way by scans and event emitters."""

from __future__ import annotations

from typing import Any

from app.entities.models import Entity
from app.licences.catalogue import catalogue
from app.licences.models import Licence


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
