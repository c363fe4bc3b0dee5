"""Proxy grants (亲属代办授权): an adult at L3 lets a verified relative act for them; either side ends it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.acting import grants
from app.audit.log import Actor
from app.people.persons import person_of_account
from tests.support.acting import acting, proxy_grant, ref_for
from tests.support.residents import create_resident


def test_a_grant_is_listed_on_both_sides_and_the_grantee_can_act_at_once(client):
    father = create_resident(name="王建国")
    daughter = create_resident(level=2, name="王芳")
    grant_id = proxy_grant(client, father, daughter, ["view_certificates", "apply_services"])
    made = client.get("/api/v1/me/proxy-grants", headers=father.headers).json
    held = client.get("/api/v1/me/proxy-grants/received", headers=daughter.headers).json
    assert [(g["id"], g["side"], g["other_name"], g["status"]) for g in made] == [
        (grant_id, "granted", "*芳", "active")]
    assert [(g["id"], g["side"], g["other_name"], g["scopes"]) for g in held] == [
        (grant_id, "received", "**国", ["view_certificates", "apply_services"])]
    listed = client.get("/api/v1/me/acting-for", headers=daughter.headers).json
    assert [(r["name"], r["relation"], r["has_account"]) for r in listed] == [("王建国", "proxy", True)]


@pytest.mark.parametrize("side", ["grantor", "grantee"])
def test_either_side_ends_a_grant_and_acting_stops(client, side):
    father = create_resident(name="王建国")
    daughter = create_resident(name="王芳")
    grant_id = proxy_grant(client, father, daughter, ["view_certificates"])
    ref = ref_for(client, daughter, "王建国")
    assert client.get("/api/v1/me/certificates", headers=acting(daughter, ref)).status_code == 200
    ender = father if side == "grantor" else daughter
    assert client.delete(f"/api/v1/me/proxy-grants/{grant_id}", headers=ender.headers).status_code == 204
    refused = client.get("/api/v1/me/certificates", headers=acting(daughter, ref))
    assert (refused.status_code, refused.json["code"]) == (403, "acting_refused")
    assert client.get("/api/v1/me/acting-for", headers=daughter.headers).json == []
    made = client.get("/api/v1/me/proxy-grants", headers=father.headers).json
    assert (made[0]["status"], made[0]["revoked_by"]) == ("revoked", side)


def test_a_stranger_cannot_end_someone_elses_grant_and_learns_nothing(client):
    father, daughter, stranger = create_resident(name="王建国"), create_resident(name="王芳"), create_resident()
    grant_id = proxy_grant(client, father, daughter, ["view_certificates"])
    mine = client.delete(f"/api/v1/me/proxy-grants/{grant_id}", headers=stranger.headers)
    missing = client.delete("/api/v1/me/proxy-grants/99999999", headers=stranger.headers)
    assert mine.status_code == missing.status_code == 404
    assert mine.json["code"] == missing.json["code"] == "proxy_grant_not_found"
    assert client.get("/api/v1/me/proxy-grants", headers=father.headers).json[0]["status"] == "active"


def test_granting_needs_l3_and_the_grantee_must_be_a_verified_other_person(client):
    father = create_resident(name="王建国")
    daughter = create_resident(level=2, name="王芳")
    unverified = create_resident(level=1)
    expires = (clock.now() + timedelta(days=30)).isoformat()

    def post(who, **body):
        return client.post("/api/v1/me/proxy-grants", headers=who.headers, json={
            "grantee_name": daughter.name, "grantee_id_number": daughter.id_number, "scopes": ["view_certificates"],
            "expires_at": expires, **body})

    at_l2 = post(create_resident(level=2))
    assert (at_l2.status_code, at_l2.json["code"]) == (403, "level_required")
    for body, code in [
        ({"grantee_name": "王小芳"}, "grantee_not_eligible"),
        ({"grantee_name": father.name, "grantee_id_number": father.id_number}, "grantee_not_eligible"),
        ({"grantee_id_number": "440106199001019999"}, "grantee_not_eligible"),
        ({"scopes": ["manage_everything"]}, "validation_error"),
        ({"scopes": []}, "validation_error"),
        ({"expires_at": (clock.now() + timedelta(days=3 * 366)).isoformat()}, "proxy_expiry_invalid"),
        ({"expires_at": (clock.now() - timedelta(days=1)).isoformat()}, "proxy_expiry_invalid"),
    ]:
        answer = post(father, **body)
        assert (answer.status_code, answer.json["code"]) == (422, code), body
    assert unverified.name is None
    assert client.get("/api/v1/me/proxy-grants", headers=father.headers).json == []
    assert post(father).status_code == 201
    again = post(father)
    assert (again.status_code, again.json["code"]) == (409, "proxy_already_granted")


def test_hall_staff_record_a_grant_through_the_same_service(client):
    """The halls helper's entry point: ``grants.grant`` with the officer as ``recorded_by``."""
    father = create_resident(name="王建国")
    daughter = create_resident(level=2, name="王芳")
    row = grants.grant(person_of_account(father.account_id), "王芳", daughter.id_number, ["apply_services"],
                       clock.now() + timedelta(days=90), recorded_by=Actor("staff", "12"),
                       details={"hall_id": 3, "check": "in_person"})
    made = client.get("/api/v1/me/proxy-grants", headers=father.headers).json
    assert [(g["id"], g["recorded_by"]) for g in made] == [(row.id, "staff")]
    assert ref_for(client, daughter, "王建国")
