"""Entities, licences and the people acting for them, built the way they arrive in production:
the market-regulation authority's intake batches, the registry emulator and the binding API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from app import clock
from app.db import session, transactional
from app.entities.models import AgentGrant
from app.entities.uscc import make_uscc
from tests.support.intake import IssuingAuthority, document_types_of, make_authority, record, send_batch
from tests.support.residents import Resident, create_resident

MARKET_TYPES = ["entity", "entity_stage", "annual_report", *document_types_of("licence")]
_numbers = itertools.count(1)


def new_uscc() -> str:
    return make_uscc(f"91440106MA{next(_numbers):07d}")


def market_authority() -> IssuingAuthority:
    return make_authority(MARKET_TYPES, name="广东省市场监督管理局")


def send(client: Any, authority: IssuingAuthority, *records: dict[str, Any]) -> Any:
    response = send_batch(client, authority, list(records))
    assert response.status_code == 200, response.json
    return response.json


def send_ok(client: Any, authority: IssuingAuthority, *records: dict[str, Any]) -> None:
    body = send(client, authority, *records)
    assert body["rejected"] == 0, body["results"]


def entity_record(uscc: str, representative: Resident, *, name: str = "广州市示例贸易有限公司",
                  version: int = 1, **extra: Any) -> dict[str, Any]:
    return record("entity", f"ENT-{uscc}", {
        "uscc": uscc, "name": name, "type": "有限责任公司", "registered_address": "广州市越秀区中山五路1号",
        "legal_representative": {"name": representative.name, "id_number": representative.id_number}, **extra,
    }, version=version)


def licence_record(number: str, uscc: str, *, type: str = "food_business_licence", issued_on: date | None = None,
                   valid_until: date | None = None, version: int = 1) -> dict[str, Any]:
    issued_on = issued_on or clock.today() - timedelta(days=365)
    data: dict[str, Any] = {"number": number, "type": type, "uscc": uscc, "issued_on": issued_on.isoformat()}
    if valid_until is not None:
        data["valid_until"] = valid_until.isoformat()
    return record("licence", f"LIC-{number}", data, version=version)


def licence_status_record(number: str, action: str, reason: str = "检查发现问题", *, version: int = 1,
                          effective_on: date | None = None) -> dict[str, Any]:
    return record("licence_status", f"LST-{number}-{version}", {
        "number": number, "action": action, "reason": reason,
        "effective_on": (effective_on or clock.today()).isoformat()}, version=version)


@dataclass
class BoundEntity:
    uscc: str
    representative: Resident


def register_in_registry(emulator: Any, uscc: str, representative: Resident,
                         name: str = "广州市示例贸易有限公司") -> None:
    emulator.register_entity(uscc=uscc, name=name, type="有限责任公司", status="operating",
                             registered_address="广州市越秀区中山五路1号",
                             legal_representative={"name": representative.name,
                                                   "id_number": representative.id_number})


def bound_entity(client: Any, emulator: Any, authority: IssuingAuthority, *, name: str = "张三") -> BoundEntity:
    """An entity reported by intake and registered in the registry, bound by its representative."""
    representative = create_resident(name=name)
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, representative))
    register_in_registry(emulator, uscc, representative)
    response = client.post("/api/v1/me/entities", json={"uscc": uscc}, headers=representative.headers)
    assert response.status_code == 201, response.json
    return BoundEntity(uscc, representative)


def grant(client: Any, entity: BoundEntity, agent: Resident, scopes: list[str], days: int = 30) -> int:
    expires_at = (clock.now() + timedelta(days=days)).isoformat()
    response = client.post(f"/api/v1/entities/{entity.uscc}/agents", headers=entity.representative.headers,
                           json={"id_number": agent.id_number, "scopes": scopes, "expires_at": expires_at})
    assert response.status_code == 201, response.json
    return response.json["id"]


@transactional
def let_grant_expire(grant_id: int) -> None:
    """Move a grant's expiry into the past, as if its date had come."""
    session().execute(update(AgentGrant).where(AgentGrant.id == grant_id)
                      .values(expires_at=clock.now() - timedelta(seconds=1)))
