"""No request can produce a 500: every documented operation, called by a user it admits, on objects
that exist and on ids that do not, with hostile values in each of its query and body fields, answers
with a 4xx (or a 2xx); so does the signed intake for every record type."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import marshmallow as ma
import pytest
from sqlalchemy import select

from app.db import remove_session, session
from app.intake.types import record_types
from app.licences.models import Licence
from app.push.models import Notification
from app.ratings.models import RectificationCase
from app.tickets import lifecycle
from tests.support.certificates import full_authority, issue_certificate
from tests.support.entities import bound_entity, grant, licence_record, market_authority, send_ok
from tests.support.intake import every_type, make_authority, record, send_batch
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id
from tests.support.tickets import ticket_in_state

HUGE = 2**70
# One variant per kind of hostility, applied to every field of the operation at once.
VARIANTS: dict[str, dict[str, Any]] = {
    "huge numbers": {"integer": HUGE, "number": 1e308, "string": str(HUGE), "boolean": HUGE, "array": [HUGE],
                     "object": {"x": HUGE}},
    "negative numbers": {"integer": -HUGE, "number": -1e308, "string": "-1", "boolean": -1, "array": [-1],
                         "object": {"x": -1}},
    "wrong types": {"integer": "一", "number": "NaN", "string": {"x": 1}, "boolean": "maybe", "array": "x",
                    "object": [1]},
    "nulls": {"integer": None, "number": None, "string": None, "boolean": None, "array": None, "object": None},
    "long text": {"integer": 0, "number": 0, "string": "字\x00'\";--" * 2000, "boolean": True,
                  "array": ["字" * 2000] * 3, "object": {"字" * 300: "字" * 2000}},
    # Short strings, so that no length check refuses them before they reach the database.
    "a NUL": {"integer": 1, "number": 1, "string": "a\x00b", "boolean": True, "array": ["a\x00b"],
              "object": {"a\x00b": "a\x00b"}},
    "control characters": {"integer": 1, "number": 1, "string": "a\x01\x08\x1b\x7f\x9bb", "boolean": True,
                           "array": ["a\x1bb"], "object": {"k": "a\x07b"}},
    "a lone surrogate": {"integer": 1, "number": 1, "string": "a\ud800b", "boolean": True, "array": ["a\udfffb"],
                         "object": {"k": "a\ud800b"}},
}
QUERY_VALUES = {"huge numbers": str(HUGE), "negative numbers": "-1", "wrong types": "一",
                "nulls": "", "long text": "字'\";--" * 300, "a NUL": "a\x00b", "control characters": "a\x1b\tb",
                "a lone surrogate": "a\x00\x1bb"}
MISSING_IDS = ("999999999999999999999999", "2147483648", "0", "%E5%AD%97", "a%00b", "a%1Bb")
# Operations that end the caller's session run last, so the others keep their caller.
ENDS_SESSION = re.compile(r"logout|sessions/current")


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _body(spec: dict[str, Any], schema: dict[str, Any], values: dict[str, Any]) -> Any:
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        return [_body(spec, schema.get("items", {}), values)]
    return {name: values.get(_resolve(spec, prop).get("type", "string"), values["string"])
            for name, prop in schema.get("properties", {}).items()}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = [(path, method.upper(), op) for path, item in spec["paths"].items() if path.startswith("/api/v1/")
           for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]
    return sorted(ops, key=lambda o: (bool(ENDS_SESSION.search(o[0])), o[0], o[1]))


@pytest.fixture
def world(client, emulator):
    """A company with its representative (the caller), a licence, an agent, a certificate, a
    resolved ticket with a bad rating and its rectification case, and notifications."""
    load_demo_catalogue()
    staff = create_staff_member(role="admin")
    company = bound_entity(client, emulator, market_authority(), name="李雷")
    resident = company.representative
    emulator.create_user(openid=resident.openid, name=resident.name, id_number=resident.id_number)
    send_ok(client, market_authority(), licence_record("JY14401060009999", company.uscc, issued_on=date(2024, 1, 1)))
    certificate = issue_certificate(client, full_authority(), resident.id_number)
    ticket = ticket_in_state(resident.account_id, staff, "resolved")
    lifecycle.close_by_requester(resident.account_id, ticket.id)
    rating = client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers, json={"score": 1}).json
    certificate_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    assert certificate["number"]
    ids = {"uscc": company.uscc, "ticket_id": ticket.id, "rating_id": rating["id"], "certificate_id": certificate_id,
           "grant_id": grant(client, company, create_resident(name="韩梅梅"), ["view_licences"]),
           "service_id": service_id("gd-gat-sfz-hl"), "staff_id": staff.id}
    # Looked up after the last request (each request ends the thread's session), then let go.
    ids["licence_id"] = session().scalars(select(Licence.id).where(Licence.number == "JY14401060009999")).one()
    ids["case_id"] = session().scalars(select(RectificationCase.id)).first()
    application = client.post("/api/v1/applications", headers=resident.headers,
                              json={"service_code": "gd-gat-sfz-hl"}).json
    ids.update(application_id=application["id"], guide_code="gd-gat-sfz-hl", material_code="old_card")
    ids["notification_id"] = session().scalars(select(Notification.id).where(
        Notification.recipient_account_id == resident.account_id)).first()
    remove_session()
    return {"resident": resident, "staff": staff, "ids": ids}


def test_no_operation_answers_hostile_input_with_a_server_error(client, emulator, world):
    spec = client.get("/api/openapi.json").json
    operations = _operations(spec)
    assert len(operations) > 80
    resident, staff, ids = world["resident"], world["staff"], world["ids"]
    failures, reached = [], 0
    for path, method, op in operations:
        # An operation may have logged its caller out: then the rest run as new users.
        if client.get("/api/v1/me", headers=resident.headers).status_code != 200:
            resident = create_resident(level=3)
        if client.get("/api/v1/staff/me", headers=staff.headers).status_code != 200:
            staff = create_staff_member(role="admin")
        headers = staff.headers if path.startswith("/api/v1/staff/") else resident.headers
        query_params = [p for p in op.get("parameters", []) if p.get("in") == "query"]
        body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        names = re.findall(r"\{([^}]+)\}", path)
        urls = [re.sub(r"\{([^}]+)\}", lambda m: str(ids.get(m.group(1), 1)), path)]
        urls += [re.sub(r"\{[^}]+\}", missing, path) for missing in MISSING_IDS] if names else []
        for variant, values in VARIANTS.items():
            for url in urls:
                kwargs: dict[str, Any] = {"headers": headers,
                                          "query_string": {p["name"]: QUERY_VALUES[variant] for p in query_params}}
                if body_schema is not None:  # ASCII JSON: a lone surrogate travels as its \u escape
                    kwargs["data"] = json.dumps(_body(spec, body_schema, values))
                    kwargs["content_type"] = "application/json"
                response = client.open(url, method=method, **kwargs)
                reached += response.status_code not in (401, 403, 404)
                documented = op["responses"].get(str(response.status_code), {}).get("content", {})
                if response.status_code >= 500 or not (response.is_json or response.mimetype in documented):
                    failures.append(f"{method} {url[:80]} [{variant}] → {response.status_code} "
                                    f"{response.get_data(as_text=True)[:120]}")
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"
    assert reached > 300  # most calls got past authentication and lookup to the input checks


def _hostile_data(schema: ma.Schema, variant: str) -> dict[str, Any]:
    values = VARIANTS[variant]
    kinds = ((ma.fields.Integer, "integer"), (ma.fields.Number, "number"), (ma.fields.Boolean, "boolean"),
             (ma.fields.List, "array"), (ma.fields.Nested, "object"), (ma.fields.Dict, "object"))
    return {field.data_key or name: values[next((k for cls, k in kinds if isinstance(field, cls)), "string")]
            for name, field in schema.fields.items()}


def test_the_intake_answers_hostile_records_per_record_and_never_with_a_server_error(client):
    types = record_types()
    authority = make_authority(every_type())
    for variant in VARIANTS:
        records = [record(name, f"hostile-{variant[:4]}-{name}", _hostile_data(rt.schema(), variant))
                   for name, rt in sorted(types.items())]
        response = send_batch(client, authority, records)
        assert response.status_code < 500, (variant, response.get_data(as_text=True)[:300])
        if response.status_code == 200:
            assert {r["status"] for r in response.json["results"]} == {"rejected"}, (variant, response.json)
