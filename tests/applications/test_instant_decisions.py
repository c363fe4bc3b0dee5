"""秒批: a service whose decision rule holds at submission is approved at once, and the applicant is
shown the rule, its version and the facts it used; a case that fails the rule goes to staff."""

from __future__ import annotations

from datetime import date, timedelta

from app import clock
from tests.support.applications import act, draft, resident_with_id_card
from tests.support.certificates import full_authority, issue_certificate
from tests.support.entities import bound_entity, market_authority
from tests.support.staff import create_staff_member, load_demo_catalogue


def _certificate(client, resident, type_code, expires_in_days, number=None):
    issue_certificate(client, full_authority(), resident.id_number, type=type_code, holder_name=resident.name,
                      number=number, issued_on=date(2016, 1, 1),
                      expires_on=clock.today() + timedelta(days=expires_in_days))


def _submit(client, resident, service_code, **body):
    application = draft(client, resident, service_code, **body)
    fields = {f["key"]: f for f in application["fields"]}
    typed = {k: (f["choices"][0] if f["choices"] else "2026-01-01" if f["kind"] == "date" else "示例")
             for k, f in fields.items() if f["required"] and not f["value"] and f["editable"]}
    if typed:
        patched = client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                               json={"fields": typed})
        assert patched.status_code == 200, patched.json
    return act(client, resident, f"/applications/{application['id']}/submit")


def test_a_driving_licence_in_its_renewal_window_is_renewed_at_once_into_the_wallet(client):
    resident = resident_with_id_card(client, expires_in_days=3000)
    _certificate(client, resident, "driving_licence", 40)
    decided = _submit(client, resident, "gd-jgj-jsz-hz")
    assert decided["state"] == "completed" and decided["decision"] == "approved"
    outcome = decided["rule_outcome"]
    assert outcome["holds"] and outcome["rule"] == {"id": "jsz_hz_in_window", "version": 1}
    assert outcome["facts"]["certificate.driving_licence.status"] == "expiring"
    assert "自动批准" in outcome["explain"] and "自动批准" in decided["decision_reason"]
    wallet = {c["id"]: c for c in client.get("/api/v1/me/certificates", headers=resident.headers).json}
    assert wallet[decided["result"]["certificate_id"]]["status"] == "valid"
    events = client.get(f"/api/v1/applications/{decided['id']}/events", headers=resident.headers).json
    assert [(e["kind"], e["actor_type"]) for e in events][1:] == [
        ("submitted", "applicant"), ("accepted", "rule"), ("approved", "rule"), ("completed", "system")]
    inbox = client.get("/api/v1/me/notifications", headers=resident.headers).json
    approved = next(n for n in inbox if n["title"] == "办件已批准")
    assert "自动批准" in approved["body"] and approved["category"] == "decisions"


def test_a_residence_permit_endorsement_and_a_medical_filing_are_decided_by_rule(client):
    resident = resident_with_id_card(client, expires_in_days=3000)
    _certificate(client, resident, "residence_permit", 200)
    endorsed = _submit(client, resident, "gd-gat-jzz-qz")
    assert endorsed["decision"] == "approved" and endorsed["rule_outcome"]["rule"]["id"] == "jzz_qz_valid_permit"
    filed = _submit(client, resident, "gd-ybj-yd-ba")
    assert filed["decision"] == "approved"
    assert filed["rule_outcome"]["facts"] == {"person.age": filed["rule_outcome"]["facts"]["person.age"],
                                              "certificate.resident_id_card.status": "valid"}


def test_an_operating_company_s_annual_report_is_published_at_once(client, emulator):
    load_demo_catalogue()
    company = bound_entity(client, emulator, market_authority(), name="李雷")
    decided = _submit(client, company.representative, "gz-scjgj-nb", entity_uscc=company.uscc)
    assert decided["decision"] == "approved" and decided["entity_uscc"] == company.uscc
    assert decided["rule_outcome"]["facts"] == {"entity.stage": "operating"}


def test_a_case_failing_the_rule_goes_to_staff_with_the_failed_condition_shown(client):
    resident = resident_with_id_card(client, expires_in_days=3000)
    _certificate(client, resident, "driving_licence", 2000)  # far from its renewal window
    waiting = _submit(client, resident, "gd-jgj-jsz-hz")
    assert waiting["state"] == "submitted" and waiting["decision"] is None
    outcome = waiting["rule_outcome"]
    assert not outcome["holds"] and "工作人员" in outcome["explain"]
    assert [c["fact"] for c in outcome["conditions"] if not c["holds"]] == ["certificate.driving_licence.status"]
    traffic = create_staff_member(departments=("gd-gat-jgj",))
    queue = client.get("/api/v1/staff/applications?state=submitted", headers=traffic.headers).json
    assert [a["id"] for a in queue] == [waiting["id"]]
    done = act(client, traffic, f"/staff/applications/{waiting['id']}/accept")
    assert done["state"] == "accepted"
