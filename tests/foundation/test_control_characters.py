"""Control characters are refused once, before any schema sees the input: in every body field (tab
and newline pass, where multi-line text is legitimate), every query argument, every path segment
and the intake's signature headers; they never reach the database."""

from __future__ import annotations

import pytest

from app.db import session
from app.intake.batches import ingest_batch
from app.intake.models import Authority
from tests.support.certificates import certificate_data, full_authority
from tests.support.intake import record, send_batch
from tests.support.residents import create_resident
from tests.support.staff import load_demo_catalogue, service_id


@pytest.mark.parametrize("value", ["a\x00b", "a\x1b[31mb", "a\x7fb", "a\x85b", "a\ud800b"])
def test_a_licence_check_with_a_control_character_is_a_422_naming_the_argument(client, value):
    response = client.get("/api/v1/licences/check", query_string={"number": value.replace("\ud800", "\x08")})
    assert response.status_code == 422
    assert response.json["details"]["fields"] == {"query": {"number": ["不能包含控制字符"]}}


def test_a_staff_login_with_a_nul_in_the_username_is_a_422(client):
    response = client.post("/api/v1/staff/sessions", json={"username": "admin\x00", "password": "x" * 12,
                                                            "totp": "123456"})
    assert response.status_code == 422
    assert response.json["details"]["fields"] == {"json": {"username": ["不能包含控制字符"]}}


def test_a_lone_surrogate_in_json_is_refused_like_a_control_character(client):
    response = client.post("/api/v1/staff/sessions", data='{"username": "a\\ud800", "password": "x", "totp": "1"}',
                           content_type="application/json")
    assert response.status_code == 422


def test_a_ticket_description_may_span_lines_but_not_hold_escape_sequences(client):
    load_demo_catalogue()
    resident = create_resident()
    ticket = {"kind": "consultation", "service_id": service_id("gd-gat-sfz-hl"), "title": "换领身份证",
              "contact_preference": "message"}
    lines = client.post("/api/v1/tickets", headers=resident.headers,
                        json={**ticket, "description": "第一行\n第二行\r\n\t缩进"})
    escaped = client.post("/api/v1/tickets", headers=resident.headers,
                          json={**ticket, "description": "看这里\x1b[2J"})
    assert lines.status_code == 201, lines.json
    assert escaped.status_code == 422
    assert escaped.json["details"]["fields"] == {"json": {"description": ["不能包含控制字符"]}}


def test_a_path_segment_with_a_control_character_matches_no_route(client):
    resident = create_resident()
    assert client.get("/api/v1/entities/91440106MA%001", headers=resident.headers).status_code == 404


def test_an_intake_batch_names_the_record_field_and_a_nul_authority_id_is_an_invalid_signature(client):
    authority = full_authority()
    holder = create_resident()
    response = send_batch(client, authority, [
        record("certificate", "C-1", certificate_data(holder.id_number, holder_name="张\x00三"))])
    assert response.status_code == 422
    assert response.json["details"]["fields"] == {"json": {"records.0.data.holder_name": ["不能包含控制字符"]}}
    forged = client.post("/api/v1/intake/batches", json={"records": []},
                         headers={"X-Authority-Id": "a\x00b", "X-Timestamp": "1", "X-Nonce": "n" * 16,
                                  "X-Signature": "00"})
    assert (forged.status_code, forged.json["code"]) == (401, "intake_signature_invalid")


def test_a_record_issued_from_inside_yss_is_refused_per_record(client):
    authority_id = full_authority().id
    holder = create_resident()
    results = ingest_batch(session().get(Authority, authority_id), [
        record("certificate", "C-1", certificate_data(holder.id_number, holder_name="张\x00三")),
        record("certificate", "C-2", certificate_data(holder.id_number))])
    assert [(r.status, r.reason) for r in results] == [("rejected", "invalid_data"), ("accepted", None)]
    assert results[0].details == {"fields": {"holder_name": ["不能包含控制字符"]}}
