"""Who may do what with an application: every 办事 endpoint, for every kind of caller that must be
refused — another resident, someone not acting for the company, an agent without ``apply_services``,
staff of another department, an account below the guide's level, the anonymous — each refused with
a code the endpoint documents; refusals of someone else's case look exactly like a missing id."""

from __future__ import annotations

import io

import pytest

from tests.support.applications import act, draft, resident_with_id_card
from tests.support.entities import bound_entity, grant, market_authority
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member

PDF = b"%PDF-1.4\n%%EOF\n"
MISSING = 999_999


@pytest.fixture
def world(client, emulator):
    owner = resident_with_id_card(client)
    application = draft(client, owner, "gd-gat-jzz-bl")
    upload = client.post(f"/api/v1/applications/{application['id']}/materials/tenancy/upload",
                         headers=owner.headers, data={"file": (io.BytesIO(PDF), "合同.pdf")},
                         content_type="multipart/form-data").json
    company = bound_entity(client, emulator, market_authority(), name="李雷")
    with_scope, without_scope = create_resident(name="韩梅梅"), create_resident(name="林涛")
    grant(client, company, with_scope, ["apply_services"])
    grant(client, company, without_scope, ["view_licences", "manage_tickets", "receive_notifications"])
    return {"owner": owner, "id": application["id"], "upload": upload["id"], "company": company,
            "with_scope": with_scope, "without_scope": without_scope,
            "stranger": create_resident(name="王五"), "l1": create_resident(level=1), "l0": create_resident(level=0),
            "police": create_staff_member(departments=("gd-gat",)),
            "other_department": create_staff_member(departments=("gd-rst",))}


def resident_endpoints(w: dict, app_id: int) -> list[tuple[str, str, str, dict]]:
    """(method, template, url, request kwargs) of every applicant endpoint on one application."""
    base = f"/api/v1/applications/{app_id}"
    upload = {"data": {"file": (io.BytesIO(PDF), "a.pdf")}, "content_type": "multipart/form-data"}
    return [
        ("get", "/applications/{application_id}", base, {}),
        ("patch", "/applications/{application_id}", base, {"json": {"fields": {"basis": "连续就读"}}}),
        ("get", "/applications/{application_id}/events", f"{base}/events", {}),
        ("put", "/applications/{application_id}/materials/{material_code}", f"{base}/materials/id_card",
         {"json": {"certificate_id": 1}}),
        ("post", "/applications/{application_id}/materials/{material_code}/upload",
         f"{base}/materials/tenancy/upload", upload),
        ("get", "/applications/{application_id}/uploads/{upload_id}", f"{base}/uploads/{w['upload']}", {}),
        ("post", "/applications/{application_id}/submit", f"{base}/submit", {}),
        ("post", "/applications/{application_id}/resubmit", f"{base}/resubmit", {"json": {}}),
        ("post", "/applications/{application_id}/withdraw", f"{base}/withdraw", {"json": {}}),
        ("post", "/applications/{application_id}/rating", f"{base}/rating", {"json": {"score": 1}}),
    ]


def staff_endpoints(w: dict, app_id: int) -> list[tuple[str, str, str, dict]]:
    base = f"/api/v1/staff/applications/{app_id}"
    return [
        ("get", "/staff/applications/{application_id}", base, {}),
        ("get", "/staff/applications/{application_id}/uploads/{upload_id}", f"{base}/uploads/{w['upload']}", {}),
        ("post", "/staff/applications/{application_id}/accept", f"{base}/accept", {"json": {}}),
        ("post", "/staff/applications/{application_id}/refuse", f"{base}/refuse", {"json": {"reason": "x"}}),
        ("post", "/staff/applications/{application_id}/review", f"{base}/review", {"json": {}}),
        ("post", "/staff/applications/{application_id}/supplement", f"{base}/supplement",
         {"json": {"message": "x"}}),
        ("post", "/staff/applications/{application_id}/approve", f"{base}/approve", {"json": {"opinion": "x"}}),
        ("post", "/staff/applications/{application_id}/reject", f"{base}/reject", {"json": {"reason": "x"}}),
    ]


def documented(spec: dict, method: str, template: str, status: int) -> list[str]:
    """The codes the operation documents for ``status`` (``x-error-codes``, or its examples' keys)."""
    response = spec["paths"][f"/api/v1{template}"][method]["responses"][str(status)]
    examples = response.get("content", {}).get("application/json", {}).get("examples", {})
    return [*response.get("x-error-codes", []), *examples]


def call(client, method, url, headers, kwargs):
    kwargs = dict(kwargs)
    if "data" in kwargs:  # a fresh file each time
        kwargs["data"] = {"file": (io.BytesIO(PDF), "a.pdf")}
    return client.open(url, method=method.upper(), headers=headers, **kwargs)


def test_another_resident_gets_exactly_the_answer_for_a_missing_application(client, world):
    spec = client.get("/api/openapi.json").json
    for (method, template, url, kwargs), (_m, _t, missing, _k) in zip(
            resident_endpoints(world, world["id"]), resident_endpoints(world, MISSING), strict=True):
        theirs = call(client, method, url, world["stranger"].headers, kwargs)
        absent = call(client, method, missing, world["stranger"].headers, kwargs)
        assert theirs.status_code == absent.status_code == 404, (template, theirs.json)
        assert (theirs.json["code"], theirs.json["message"]) == (absent.json["code"], absent.json["message"])
        assert theirs.json["code"] in documented(spec, method, template, 404), template
    assert client.get("/api/v1/me/applications", headers=world["stranger"].headers).json == []
    # Nothing happened to the owner's draft.
    mine = client.get(f"/api/v1/applications/{world['id']}", headers=world["owner"].headers).json
    assert mine["state"] == "draft" and {f["key"]: f["value"] for f in mine["fields"]}["basis"] is None


def test_staff_of_another_department_see_no_case_and_can_touch_none(client, world):
    spec = client.get("/api/openapi.json").json
    client.patch(f"/api/v1/applications/{world['id']}", headers=world["owner"].headers,
                 json={"fields": {"basis": "合法稳定住所", "residence_address": "广州市天河区林和西路9号"}})
    act(client, world["owner"], f"/applications/{world['id']}/submit")
    other = world["other_department"]
    for method, template, url, kwargs in staff_endpoints(world, world["id"]):
        response = call(client, method, url, other.headers, kwargs)
        assert response.status_code == 404 and response.json["code"] == "application_not_found", template
        assert "application_not_found" in documented(spec, method, template, 404)
    assert client.get("/api/v1/staff/applications", headers=other.headers).json == []
    assert client.get("/api/v1/staff/applications", headers=world["police"].headers).json[0]["id"] == world["id"]
    supervisor_only = client.get("/api/v1/staff/application-deadlines", headers=world["police"].headers)
    assert supervisor_only.status_code == 403 and supervisor_only.json["code"] == "role_required"
    # A resident's token is no staff token, and the other way round.
    assert client.get(f"/api/v1/staff/applications/{world['id']}",
                      headers=world["owner"].headers).status_code == 401
    assert client.get(f"/api/v1/applications/{world['id']}", headers=world["police"].headers).status_code == 401


def test_a_company_applies_only_through_its_representative_or_an_agent_holding_apply_services(client, world):
    spec = client.get("/api/openapi.json").json
    uscc = world["company"].uscc
    body = {"service_code": "gz-scjgj-nb", "entity_uscc": uscc}
    for who in ("stranger", "without_scope"):
        refused = client.post("/api/v1/applications", headers=world[who].headers, json=body)
        unknown = client.post("/api/v1/applications", headers=world[who].headers,
                              json={**body, "entity_uscc": "91440106MA59XXXX0X"})
        assert refused.status_code == unknown.status_code == 404, who
        assert refused.json["code"] == unknown.json["code"] == "not_found"
        assert "not_found" in documented(spec, "post", "/applications", 404)
    by_agent = client.post("/api/v1/applications", headers=world["with_scope"].headers, json=body)
    assert by_agent.status_code == 201 and by_agent.json["entity_uscc"] == uscc
    by_representative = client.post("/api/v1/applications", headers=world["company"].representative.headers,
                                    json=body)
    assert by_representative.status_code == 201 and by_representative.json["id"] != by_agent.json["id"]
    # Those acting for the company with apply_services follow its applications; others see none.
    company_url = f"/api/v1/me/applications?entity_uscc={uscc}"
    listed = client.get(company_url, headers=world["company"].representative.headers).json
    assert {a["id"] for a in listed} == {by_agent.json["id"], by_representative.json["id"]}
    assert client.get(f"/api/v1/applications/{by_agent.json['id']}",
                      headers=world["company"].representative.headers).status_code == 200
    for who in ("stranger", "without_scope"):
        assert client.get(company_url, headers=world[who].headers).status_code == 404
        assert client.get(f"/api/v1/applications/{by_agent.json['id']}", headers=world[who].headers
                          ).json["code"] == "application_not_found"
    # An entity's service is not applied for as a person, nor a person's one for a company.
    as_person = client.post("/api/v1/applications", headers=world["with_scope"].headers,
                            json={"service_code": "gz-scjgj-nb"})
    assert as_person.status_code == 422 and as_person.json["code"] == "applicant_not_eligible"
    for_company = client.post("/api/v1/applications", headers=world["company"].representative.headers,
                              json={"service_code": "gd-gat-wfjl", "entity_uscc": uscc})
    assert for_company.status_code == 422 and for_company.json["code"] == "applicant_not_eligible"
    assert "applicant_not_eligible" in documented(spec, "post", "/applications", 422)


def test_an_account_below_the_guide_s_level_is_refused_with_level_required(client, world):
    spec = client.get("/api/openapi.json").json
    l1 = client.post("/api/v1/applications", headers=world["l1"].headers, json={"service_code": "gd-gat-sfz-hl"})
    assert l1.status_code == 403 and l1.json["code"] == "level_required"
    assert l1.json["details"] == {"required_level": 3, "current_level": 1}
    assert "level_required" in documented(spec, "post", "/applications", 403)
    for method, template, url, kwargs in [*resident_endpoints(world, world["id"]),
                                          ("get", "/me/applications", "/api/v1/me/applications", {})]:
        l0 = call(client, method, url, world["l0"].headers, kwargs)
        assert l0.status_code == 403 and l0.json["code"] == "level_required", template
        anonymous = call(client, method, url, {}, kwargs)
        assert anonymous.status_code == 401, template


def test_the_guides_are_public(client):
    listed = client.get("/api/v1/service-guides?q=身份证")
    assert listed.status_code == 200 and {"gd-gat-sfz-hl", "gd-gat-sfz-bl"} <= {g["code"] for g in listed.json}
    assert client.get("/api/v1/service-guides/gd-gat-sfz-hl").json["department_code"] == "gd-gat"
    missing = client.get("/api/v1/service-guides/nope")
    assert missing.status_code == 404 and missing.json["code"] == "guide_not_found"
