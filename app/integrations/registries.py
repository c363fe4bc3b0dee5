"""Clients of the population registry and the market-regulation registry.

Wire format (JSON over HTTP, as emulated in miniprogram_stub):
- ``POST {base}/population/v1/verify`` {"name", "id_number"} → {"result": match|mismatch|deceased}
- ``GET {base}/market/v1/entities/<uscc>`` → the entity, or 404
- ``POST {base}/market/v1/legal-representative/check`` {"uscc","name","id_number"} →
  {"uscc","entity_name","status","is_legal_representative"}, or 404 for an unknown code
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from app.errors import UpstreamUnavailable
from app.integrations.http import RETRY_AFTER_SECONDS, request_json
from config import get_settings

PopulationResult = Literal["match", "mismatch", "deceased"]


def _base() -> str:
    return get_settings().registry_base_url.rstrip("/")


def _unexpected(service: str) -> UpstreamUnavailable:
    return UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS)


def verify_person(name: str, id_number: str) -> PopulationResult:
    status, body = request_json("POST", f"{_base()}/population/v1/verify", service="population_registry",
                                json={"name": name, "id_number": id_number})
    result = body.get("result") if status == 200 and isinstance(body, dict) else None
    if result not in ("match", "mismatch", "deceased"):
        raise _unexpected("population_registry")
    return result


@dataclass(frozen=True)
class RepresentativeCheck:
    uscc: str
    entity_name: str
    status: str
    is_legal_representative: bool


def check_legal_representative(uscc: str, name: str, id_number: str) -> RepresentativeCheck | None:
    """None when the registry does not know the code."""
    status, body = request_json(
        "POST", f"{_base()}/market/v1/legal-representative/check", service="market_registry",
        json={"uscc": uscc, "name": name, "id_number": id_number},
    )
    if status == 404:
        return None
    if status != 200 or not isinstance(body, dict):
        raise _unexpected("market_registry")
    return RepresentativeCheck(body["uscc"], body["entity_name"], body["status"],
                               bool(body["is_legal_representative"]))


def market_entity(uscc: str) -> dict[str, Any] | None:
    status, body = request_json("GET", f"{_base()}/market/v1/entities/{uscc}", service="market_registry")
    if status == 404:
        return None
    if status != 200 or not isinstance(body, dict):
        raise _unexpected("market_registry")
    return body
