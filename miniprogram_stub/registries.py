"""Emulated population and market-regulation registries (our own simple JSON wire format).

Population registry
    POST /registry/population/v1/verify  {"name": str, "id_number": str}
      200 {"result": "match" | "mismatch" | "deceased", "request_id": str}
      An unknown ID number, or a name that is not the registered one, is "mismatch";
      "deceased" needs both to match a deceased person.

Market-regulation registry
    GET  /registry/market/v1/entities/<uscc>
      200 {"uscc", "name", "type", "status", "registered_address"}
      status: establishment | operating | in_liquidation | deregistered
    POST /registry/market/v1/legal-representative/check  {"uscc", "name", "id_number"}
      200 {"uscc", "entity_name", "status", "is_legal_representative": bool}

Errors are JSON {"code", "message"}:
    400 bad_request   malformed body (not an object, missing or non-string field)
    404 not_found     unknown uscc
Injected faults (developer API) on these paths:
    busy → 503 {"code": "busy"}, rate_limit → 429 {"code": "rate_limited"},
    blocked → 403 {"code": "forbidden"}, http_500 → 500 text, slow → late but normal answer.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, jsonify

from miniprogram_stub.replies import json_body, json_error
from miniprogram_stub.state import get_state

ENTITY_STATUSES = ("establishment", "operating", "in_liquidation", "deregistered")
PERSON_STATUSES = ("alive", "deceased")

bp = Blueprint("registries", __name__, url_prefix="/registry")


def _fields(*names: str) -> dict[str, str] | tuple[Response, int]:
    body = json_body()
    if body is None:
        return json_error(400, "bad_request", "body must be a JSON object")
    for name in names:
        if not isinstance(body.get(name), str) or not body[name].strip():
            return json_error(400, "bad_request", f"{name} must be a non-empty string")
    return {name: body[name].strip() for name in names}


@bp.post("/population/v1/verify")
def verify_person() -> Any:
    fields = _fields("name", "id_number")
    if isinstance(fields, tuple):
        return fields
    state = get_state()
    with state.lock:
        person = state.persons.get(fields["id_number"].upper())
    if person is None or person["name"] != fields["name"]:
        result = "mismatch"
    else:
        result = "deceased" if person["status"] == "deceased" else "match"
    return jsonify({"result": result, "request_id": uuid.uuid4().hex})


def public_entity(entity: dict[str, Any]) -> dict[str, Any]:
    return {k: entity[k] for k in ("uscc", "name", "type", "status", "registered_address")}


@bp.get("/market/v1/entities/<uscc>")
def get_entity(uscc: str) -> Any:
    state = get_state()
    with state.lock:
        entity = state.entities.get(uscc.upper())
    if entity is None:
        return json_error(404, "not_found", f"no entity with uscc {uscc}")
    return jsonify(public_entity(entity))


@bp.post("/market/v1/legal-representative/check")
def check_legal_representative() -> Any:
    fields = _fields("uscc", "name", "id_number")
    if isinstance(fields, tuple):
        return fields
    state = get_state()
    with state.lock:
        entity = state.entities.get(fields["uscc"].upper())
    if entity is None:
        return json_error(404, "not_found", f"no entity with uscc {fields['uscc']}")
    rep = entity.get("legal_representative") or {}
    is_rep = rep.get("name") == fields["name"] and str(rep.get("id_number", "")).upper() == (
        fields["id_number"].upper()
    )
    return jsonify(
        {
            "uscc": entity["uscc"],
            "entity_name": entity["name"],
            "status": entity["status"],
            "is_legal_representative": is_rep,
        }
    )
