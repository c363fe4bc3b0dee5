"""The application lifecycle beyond the happy path: a certificate revoked before the decision sends
the case to 补正; a food business licence is renewed into the company's licences; withdrawal ends a
case before a decision; progress notices can be switched off for WeChat, decisions cannot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.applications import settlement
from app.applications.errors import AlreadyRated
from app.applications.rating import rate_application
from app.identity.sessions import Principal
from app.ratings.errors import RatingPeriodOver
from tests.support.applications import act, draft, police_authority, resident_with_id_card
from tests.support.certificates import issue
from tests.support.entities import MARKET_TYPES, bound_entity, licence_record, send_ok
from tests.support.intake import make_authority
from tests.support.staff import create_staff_member, load_demo_catalogue


def _ready(client, resident, service_code="gd-gat-sfz-hl"):
    application = draft(client, resident, service_code)
    missing = {f["key"]: (f["choices"][0] if f["choices"] else "广州市天河区体育西路1号")
               for f in application["fields"] if f["required"] and not f["value"] and f["editable"]}
    client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers, json={"fields": missing})
    return application


def test_a_certificate_revoked_before_the_decision_sends_the_case_to_supplement(client):
    resident = resident_with_id_card(client)
    police = create_staff_member(departments=("gd-gat",))
    application = _ready(client, resident)
    act(client, resident, f"/applications/{application['id']}/submit")
    act(client, police, f"/staff/applications/{application['id']}/accept")
    issue(client, police_authority(), "certificate_status",
          {"type": "resident_id_card", "number": resident.id_number, "status": "revoked", "reason": "证件挂失"})
    answered = act(client, police, f"/staff/applications/{application['id']}/approve", opinion="准予换领")
    assert answered["state"] == "supplement_requested" and answered["decision"] is None
    assert answered["supplement"]["materials"] == ["old_card"] and answered["deadline"]["paused"]
    refused = client.post(f"/api/v1/applications/{application['id']}/resubmit", headers=resident.headers, json={})
    assert refused.status_code == 422 and refused.json["code"] == "certificate_not_usable"
    inbox = [n["title"] for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]
    assert "办件需要补正" in inbox


def test_a_food_business_licence_is_renewed_into_the_company_s_licences(client, emulator):
    load_demo_catalogue()
    market = make_authority(MARKET_TYPES, authority_id="gz-scjgj", name="广州市市场监督管理局")
    company = bound_entity(client, emulator, market, name="李雷")
    send_ok(client, market, licence_record("JY14401060001234", company.uscc,
                                           valid_until=clock.today() + timedelta(days=20)))
    owner = company.representative
    application = draft(client, owner, "gz-scjgj-spjy-yx", entity_uscc=company.uscc)
    fields = {f["key"]: f for f in application["fields"]}
    assert fields["licence_number"]["value"] == "JY14401060001234"
    assert fields["uscc"]["value"] == company.uscc and not fields["uscc"]["editable"]
    client.patch(f"/api/v1/applications/{application['id']}", headers=owner.headers,
                 json={"fields": {"unchanged": "未变化"}})
    act(client, owner, f"/applications/{application['id']}/submit")
    staff = create_staff_member(departments=("gz-scjgj",))
    act(client, staff, f"/staff/applications/{application['id']}/accept")
    done = act(client, staff, f"/staff/applications/{application['id']}/approve", opinion="准予延续")
    assert done["result"]["kind"] == "licence" and done["result"]["licence_id"]
    licences = client.get(f"/api/v1/entities/{company.uscc}/licences", headers=owner.headers).json
    [renewed] = [lic for lic in licences if lic["number"] == "JY14401060001234"]
    assert renewed["valid_until"] > (clock.today() + timedelta(days=1500)).isoformat()


def test_withdrawal_ends_a_case_before_a_decision_and_a_new_draft_can_start(client):
    resident = resident_with_id_card(client)
    application = _ready(client, resident)
    act(client, resident, f"/applications/{application['id']}/submit")
    gone = act(client, resident, f"/applications/{application['id']}/withdraw", reason="已到窗口办理")
    assert gone["state"] == "withdrawn"
    again = client.post(f"/api/v1/applications/{application['id']}/withdraw", headers=resident.headers, json={})
    assert again.status_code == 409 and again.json["code"] == "application_illegal_transition"
    assert draft(client, resident, "gd-gat-sfz-hl")["id"] != application["id"]
    unrated = client.post(f"/api/v1/applications/{application['id']}/rating", headers=resident.headers,
                          json={"score": 1})
    assert unrated.status_code == 409 and unrated.json["code"] == "application_not_decided"


def test_progress_notices_can_be_switched_off_for_wechat_but_decisions_cannot(client):
    resident = resident_with_id_card(client)
    prefs = client.patch("/api/v1/me/notification-preferences", headers=resident.headers,
                       json={"categories": {"applications": False}})
    assert prefs.status_code == 200 and prefs.json["categories"]["applications"] is False
    off = client.patch("/api/v1/me/notification-preferences", headers=resident.headers,
                     json={"categories": {"decisions": False}})
    assert off.status_code == 422
    police = create_staff_member(departments=("gd-gat",))
    application = _ready(client, resident)
    act(client, resident, f"/applications/{application['id']}/submit")
    act(client, police, f"/staff/applications/{application['id']}/accept")
    act(client, police, f"/staff/applications/{application['id']}/reject", reason="照片不符合要求")
    inbox = {n["title"]: n for n in client.get("/api/v1/me/notifications", headers=resident.headers).json}
    assert inbox["办件已受理"]["category"] == "applications"
    assert inbox["办件不予批准"]["category"] == "decisions" and "照片不符合要求" in inbox["办件不予批准"]["body"]


def test_a_decided_case_is_rated_within_seven_days_of_its_decision(client):
    resident = resident_with_id_card(client)
    police = create_staff_member(departments=("gd-gat",))
    application = _ready(client, resident)
    act(client, resident, f"/applications/{application['id']}/submit")
    act(client, police, f"/staff/applications/{application['id']}/accept")
    act(client, police, f"/staff/applications/{application['id']}/reject", reason="照片不符合要求")
    me = Principal(resident.account_id, "s", 3, None)
    with clock.freeze(clock.now() + timedelta(days=7, minutes=1)), pytest.raises(RatingPeriodOver):
        rate_application(me, application["id"], 1)
    assert rate_application(me, application["id"], 2).score == 2  # within the week; a bad one opens a case
    cases = client.get("/api/v1/staff/rectifications",
                       headers=create_staff_member(role="supervisor", departments=("gd-gat",)).headers).json
    assert [c["rating"]["score"] for c in cases] == [2]


def test_a_case_left_unrated_for_seven_days_counts_as_basically_satisfied(client):
    resident = resident_with_id_card(client)
    police = create_staff_member(departments=("gd-gat",))
    application = _ready(client, resident)
    act(client, resident, f"/applications/{application['id']}/submit")
    act(client, police, f"/staff/applications/{application['id']}/accept")
    act(client, police, f"/staff/applications/{application['id']}/approve", opinion="准予换领")
    assert settlement.settle_batch() == 0  # within the week: the applicant may still rate
    with clock.freeze(clock.now() + timedelta(days=7, minutes=1)):
        assert settlement.settle_batch() == 1
        assert settlement.settle_batch() == 0  # once
        with pytest.raises(AlreadyRated):
            rate_application(Principal(resident.account_id, "s", 3, None), application["id"], 5)
