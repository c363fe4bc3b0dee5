"""Developer API under /__emulator__/: reset, clock, apps, faults, stats and registry records.

POST   /__emulator__/reset                  forget everything (pre-registered apps stay)
GET    /__emulator__/clock                  {"now": epoch}
POST   /__emulator__/clock                  {"advance_seconds": n} → {"now": epoch}
POST   /__emulator__/apps                   {appid, secret} (upsert)
POST   /__emulator__/faults                 {path, kind: busy|rate_limit|slow|http_500|blocked|
                                             disconnect (carried out, then no answer),
                                             count?: 1, delay_seconds?: for slow (default 2)}
DELETE /__emulator__/faults
GET    /__emulator__/stats                  {"calls": {path: count}} for WeChat and registry paths
POST   /__emulator__/registry/persons       {name, id_number, status?: alive|deceased} (upsert)
POST   /__emulator__/registry/entities      {uscc, name, type?, status?, registered_address?,
                                             legal_representative?: {name, id_number}} (upsert)

Everything is JSON. Validation errors are 400 {"code": "bad_request", "message"}; unknown records
404 {"code": "not_found"}; a request that cannot apply in the current state 409 {"code": "conflict"}.
The users/codes/face part lives in devapi_users.py, messages and pushes in devapi_messages.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from miniprogram_stub.faults import FAULT_KINDS
from miniprogram_stub.registries import ENTITY_STATUSES, PERSON_STATUSES, public_entity
from miniprogram_stub.replies import json_body, json_error
from miniprogram_stub.state import App, Fault, get_state

PREFIX = "/__emulator__"

bp = Blueprint("devapi", __name__, url_prefix=PREFIX)


class DevApiError(Exception):
    """A developer-API request that cannot be served; becomes a JSON error response."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad_request(message: str) -> DevApiError:
    return DevApiError(400, "bad_request", message)


def body() -> dict[str, Any]:
    data = json_body()
    if data is None:
        raise bad_request("body must be a JSON object")
    return data


def optional_body() -> dict[str, Any]:
    """Like body(), but an empty request body means no parameters."""
    return body() if request.get_data() else {}


def field(data: dict[str, Any], name: str, kind: type | tuple[type, ...] = str, required: bool = True) -> Any:
    """data[name] checked against `kind`; None when optional and absent."""
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return None
    # bool is an int in Python; refuse it where a number is meant.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise bad_request(f"{name} has the wrong type")
    if isinstance(value, str) and required and not value:
        raise bad_request(f"{name} must not be empty")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def choice(data: dict[str, Any], name: str, allowed: tuple[str, ...], required: bool = True) -> Any:
    value = field(data, name, str, required)
    if value is not None and value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return value


@bp.post("/reset")
def reset() -> Response:
    get_state().reset()
    return jsonify({"ok": True})


@bp.get("/clock")
def get_clock() -> Response:
    return jsonify({"now": int(get_state().now())})


@bp.post("/clock")
def advance_clock() -> Response:
    seconds = field(body(), "advance_seconds", (int, float))
    if seconds < 0:
        raise bad_request("advance_seconds must not be negative")
    return jsonify({"now": int(get_state().clock.advance(seconds))})


@bp.post("/apps")
def register_app() -> Response:
    data = body()
    appid, secret = field(data, "appid"), field(data, "secret")
    state = get_state()
    with state.lock:
        existing = state.apps.get(appid)
        if existing is None:
            state.apps[appid] = App(appid, secret)
        else:
            existing.secret = secret
    return jsonify({"appid": appid, "secret": secret})


@bp.post("/faults")
def add_fault() -> Response:
    data = body()
    path = field(data, "path")
    kind = choice(data, "kind", FAULT_KINDS)
    count = field(data, "count", int, required=False)
    count = 1 if count is None else count
    delay = field(data, "delay_seconds", (int, float), required=False) or 0
    if count < 1 or delay < 0:
        raise bad_request("count must be positive and delay_seconds not negative")
    if kind == "slow" and not delay:
        delay = 2.0  # a slow answer with no delay would not be slow
    state = get_state()
    with state.lock:
        state.faults.setdefault(path, []).append(Fault(kind, count, float(delay)))
        queued = [{"kind": f.kind, "remaining": f.remaining} for f in state.faults[path]]
    return jsonify({"path": path, "queued": queued})


@bp.delete("/faults")
def clear_faults() -> Response:
    state = get_state()
    with state.lock:
        state.faults.clear()
    return jsonify({"ok": True})


@bp.get("/stats")
def stats() -> Response:
    state = get_state()
    with state.lock:
        return jsonify({"calls": dict(state.calls)})


@bp.post("/registry/persons")
def upsert_person() -> Response:
    data = body()
    name, id_number = field(data, "name"), field(data, "id_number").upper()
    status = choice(data, "status", PERSON_STATUSES, required=False) or "alive"
    state = get_state()
    with state.lock:
        state.persons[id_number] = {"name": name, "id_number": id_number, "status": status}
    return jsonify({"name": name, "id_number": id_number, "status": status})


@bp.post("/registry/entities")
def upsert_entity() -> Response:
    data = body()
    uscc = field(data, "uscc").upper()
    rep = field(data, "legal_representative", dict, required=False)
    if rep is not None:
        rep = {"name": field(rep, "name"), "id_number": field(rep, "id_number").upper()}
    entity = {
        "uscc": uscc,
        "name": field(data, "name"),
        "type": field(data, "type", required=False) or "有限责任公司",
        "status": choice(data, "status", ENTITY_STATUSES, required=False) or "operating",
        "registered_address": field(data, "registered_address", required=False) or "",
        "legal_representative": rep,
    }
    state = get_state()
    with state.lock:
        state.entities[uscc] = entity
    return jsonify({**public_entity(entity), "legal_representative": rep})


def install(app: Flask) -> None:
    @app.errorhandler(DevApiError)
    def _dev_api_error(error: DevApiError) -> tuple[Response, int]:
        return json_error(error.status, error.code, error.message)
