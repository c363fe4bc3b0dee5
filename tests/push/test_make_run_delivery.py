"""Under `make run`, WeChat knows our templates (run.py registers them at the emulator), so a staff
reply reaches a consenting resident as a subscribe message; where a delivery fails all the same, a
supervisor sees why."""

from __future__ import annotations

from app.push import consent, preferences
from app.push.rules import load_templates
from app.staff.models import AGENT, SUPERVISOR
from scripts.run import register_in_emulator
from tests.push.conftest import sent_to
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id

NOTICE = load_templates()["notice"].template_id
FAILURES = "/api/v1/staff/push/failures"


def _consenting_resident(emulator, templates_known: bool = True):
    user = emulator.create_user(phone="13800138000", name="张三")
    resident = create_resident(openid=user["openid"])
    if templates_known:  # WeChat records a consent only to a template it has
        emulator._post("/consents", {"openid": user["openid"], "template_id": NOTICE, "status": "accept"})
    consent.record_client_results(resident.account_id, {NOTICE: "accept"})
    # No quiet hours (start = end), so the reply is sent now whatever the real hour of the run.
    preferences.update_preferences(resident.account_id, quiet_hours={"start": "00:00", "end": "00:00"})
    return resident


def _staff_reply(client, resident, agent) -> int:
    ticket_id = client.post("/api/v1/tickets", headers=resident.headers, json={
        "kind": "consultation", "service_id": service_id("gd-gat-sfz-hl"), "title": "身份证换领需要带什么材料",
        "description": "身份证明年到期，想提前换领。", "contact_preference": "message"}).json["id"]
    base = f"/api/v1/staff/tickets/{ticket_id}"
    assert client.post(f"{base}/claim", headers=agent.headers).status_code == 200
    reply = client.post(f"{base}/messages", headers=agent.headers, json={"body": "请带上旧证和户口簿。"})
    assert reply.status_code == 201
    run_queued_jobs()
    return ticket_id


def test_with_run_s_registration_a_staff_reply_arrives_as_a_wechat_subscribe_message(client, emulator):
    load_demo_catalogue()
    register_in_emulator(emulator.base_url)  # what scripts/run.py does once the stub answers
    resident = _consenting_resident(emulator)
    ticket_id = _staff_reply(client, resident, create_staff_member(AGENT))
    [message] = sent_to(emulator, resident.openid)
    assert message["template_id"] == NOTICE
    assert message["page"] == f"pages/tickets/detail?id={ticket_id}"
    supervisor = create_staff_member(SUPERVISOR)
    assert client.get(FAILURES, headers=supervisor.headers).json == []


def test_a_supervisor_sees_why_a_delivery_failed_and_no_one_else_does(client, emulator):
    load_demo_catalogue()  # the emulator as `make run` left it before: no templates registered
    resident = _consenting_resident(emulator, templates_known=False)
    agent, supervisor = create_staff_member(AGENT), create_staff_member(SUPERVISOR)
    _staff_reply(client, resident, agent)
    assert sent_to(emulator, resident.openid) == []
    response = client.get(FAILURES, headers=supervisor.headers)
    assert response.status_code == 200
    [failure] = response.json
    assert failure["reason"] == "invalid_template:40037"
    assert "模板" in failure["reason_text"] and failure["requeueable"] is False
    assert failure["template_id"] == NOTICE and failure["account_id"] == resident.account_id
    assert "X-Pagination" in response.headers
    assert client.get(FAILURES, headers=agent.headers).status_code == 403
    assert client.get(FAILURES, headers=resident.headers).status_code == 401
    assert client.get(FAILURES).status_code == 401
    assert client.get(FAILURES, headers=supervisor.headers, query_string={"page": 0}).status_code == 422
    assert client.get(FAILURES, headers=supervisor.headers, query_string={"page_size": "x"}).status_code == 422
