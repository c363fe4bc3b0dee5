"""The population registry and the market-regulation registry, as simple JSON services.

- ``POST /registry/population/v1/verify`` {"name", "id_number"} →
  {"result": "match" | "mismatch" | "deceased", "request_id"}; an unknown number is "mismatch".
- ``GET /registry/market/v1/entities/<uscc>`` → the entity, or 404 {"code": "not_found"}.
- ``POST /registry/market/v1/legal-representative/check`` {"uscc", "name", "id_number"} →
  {"uscc", "entity_name", "status", "is_legal_representative"}, or 404 for an unknown code.
Malformed bodies are 400 {"code": "bad_request", "message"}.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from miniprogram_stub.state import rid
from miniprogram_stub.wechat import world

blp = Blueprint("registries", __name__, url_prefix="/registry")


def bad_request(message: str) -> tuple[Response, int]:
    return jsonify(code="bad_request", message=message), 400


@blp.post("/population/v1/verify")
def verify_person() -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("name", "id_number")):
        return bad_request("name and id_number are required")
    w = world()
    with w.lock:
        person = w.persons.get(body["id_number"].strip().upper())
    if person is None or person["name"] != body["name"].strip():
        result = "mismatch"
    else:
        result = "deceased" if person["status"] == "deceased" else "match"
    return jsonify(result=result, request_id=rid())


def _public(entity: dict) -> dict:
    return {k: entity[k] for k in ("uscc", "name", "type", "status", "registered_address")}


@blp.get("/market/v1/entities/<uscc>")
def entity(uscc: str) -> Response | tuple[Response, int]:
    w = world()
    with w.lock:
        found = w.entities.get(uscc.upper())
    if found is None:
        return jsonify(code="not_found", message="unknown uscc"), 404
    return jsonify(_public(found))


@blp.post("/market/v1/legal-representative/check")
def check_representative() -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("uscc", "name", "id_number")):
        return bad_request("uscc, name and id_number are required")
    w = world()
    with w.lock:
        found = w.entities.get(body["uscc"].upper())
    if found is None:
        return jsonify(code="not_found", message="unknown uscc"), 404
    rep = found.get("legal_representative") or {}
    is_rep = rep.get("id_number", "").upper() == body["id_number"].strip().upper() and rep.get("name") == body["name"]
    return jsonify(uscc=found["uscc"], entity_name=found["name"], status=found["status"],
                   is_legal_representative=is_rep)
