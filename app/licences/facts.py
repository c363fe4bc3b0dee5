"""The facts about a licence and its holder that push rules see, built the same way by push's scans
and by the licences area's own events (a suspension taking effect)."""

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
