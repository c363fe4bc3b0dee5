"""Company administrators (企业管理员): appointed by the legal representative, they manage agents;
when the representative changes they are suspended, and the new representative is told of every
live agent and administrator and reinstates or ends them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit.models import AuditEntry
from app.db import session
from tests.support.entities import (
    bound_entity,
    entity_record,
    grant,
    market_authority,
    register_in_registry,
    send_ok,
)
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident

BIND = "/api/v1/me/entities"


@pytest.fixture
def authority():
    return market_authority()


@pytest.fixture
def company(client, emulator, authority):
    return bound_entity(client, emulator, authority)


def _until(days: int = 30) -> str:
    return (clock.now() + timedelta(days=days)).isoformat()


def appoint(client, company, person, headers=None, days: int = 30):
    return client.post(f"/api/v1/entities/{company.uscc}/administrators",
                       headers=headers or company.representative.headers,
                       json={"id_number": person.id_number, "expires_at": _until(days)})


def _actions(action):
    return session().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_an_administrator_grants_lists_and_revokes_agents(client, company):
    admin, agent = create_resident(name="孙八"), create_resident(level=2, name="周九")
    appointed = appoint(client, company, admin)
    assert appointed.status_code == 201, appointed.json
    assert appointed.json["status"] == "active" and "manage_agents" in appointed.json["scopes"]
    base = f"/api/v1/entities/{company.uscc}/agents"

    granted = client.post(base, headers=admin.headers,
                          json={"id_number": agent.id_number, "scopes": ["view_licences"], "expires_at": _until()})
    assert granted.status_code == 201, granted.json
    assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers).status_code == 200
    assert [g["id"] for g in client.get(base, headers=admin.headers).json] == [granted.json["id"]]
    assert client.delete(f"{base}/{granted.json['id']}", headers=admin.headers).status_code == 204
    assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers).status_code == 404

    mine = client.get(BIND, headers=admin.headers).json
    assert [(e["uscc"], e["role"]) for e in mine] == [(company.uscc, "administrator")]
    listed = client.get(f"/api/v1/entities/{company.uscc}/administrators", headers=company.representative.headers).json
    assert [(a["id"], a["agent_name"]) for a in listed] == [(appointed.json["id"], "*八")]
    assert client.get(base, headers=company.representative.headers).json[0]["id"] == granted.json["id"], \
        "administrators are not listed among agents"
    appointed_entry, = _actions("entity.administrator_appoint")
    assert appointed_entry.actor_id == str(company.representative.account_id)
    assert _actions("entity.agent_grant")[0].actor_id == str(admin.account_id)


def test_only_the_legal_representative_appoints_lists_and_ends_administrators(client, company):
    admin, agent, other, stranger = (create_resident(name=n) for n in ("吴十", "郑一", "王二", "陈三"))
    admin_id = appoint(client, company, admin).json["id"]
    grant(client, company, agent, ["view_licences", "manage_tickets", "receive_notifications", "apply_services"])
    base = f"/api/v1/entities/{company.uscc}/administrators"

    for caller in (agent, admin, stranger):
        attempts = [appoint(client, company, other, headers=caller.headers),
                    client.get(base, headers=caller.headers),
                    client.delete(f"{base}/{admin_id}", headers=caller.headers),
                    client.post(f"{base}/{admin_id}/reinstatement", headers=caller.headers)]
        assert [a.status_code for a in attempts] == [404] * 4, caller.name
        assert {a.json["code"] for a in attempts} == {"not_found"}
    # nor can an administrator end an administrator through the agents' endpoint, or grant manage_agents
    assert client.delete(f"/api/v1/entities/{company.uscc}/agents/{admin_id}",
                         headers=admin.headers).status_code == 404
    raised = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=admin.headers,
                         json={"id_number": other.id_number, "scopes": ["manage_agents"], "expires_at": _until()})
    assert raised.status_code == 422
    assert len(_actions("entity.administrator_appoint")) == 1 and _actions("entity.administrator_end") == []
    assert client.get(BIND, headers=other.headers).json == []

    assert client.delete(f"{base}/{admin_id}", headers=company.representative.headers).status_code == 204
    assert client.get(f"/api/v1/entities/{company.uscc}/agents", headers=admin.headers).status_code == 404
    ended, = _actions("entity.administrator_end")
    assert ended.details["grant_id"] == admin_id


def test_appointing_an_administrator_checks_its_input(client, company):
    admin = create_resident(name="黄五")
    base = f"/api/v1/entities/{company.uscc}/administrators"
    headers = company.representative.headers

    nobody = client.post(base, headers=headers, json={"id_number": "440106199001010012", "expires_at": _until()})
    assert nobody.json["code"] == "agent_not_verified"
    assert appoint(client, company, company.representative).json["code"] == "agent_is_representative"
    assert appoint(client, company, admin, days=4 * 366).json["code"] == "expiry_invalid"
    assert client.post(base, headers=headers, json={"id_number": "12345", "expires_at": _until()}).status_code == 422
    assert client.post(base, headers=headers, json={"id_number": admin.id_number}).status_code == 422
    assert client.post(base, headers=headers, json={"id_number": admin.id_number,
                                                    "expires_at": "2027-01-01T00:00:00"}).status_code == 422
    assert appoint(client, company, admin).status_code == 201
    again = appoint(client, company, admin)
    assert (again.status_code, again.json["code"]) == (409, "agent_already_granted")
    assert client.post(f"{base}/999999/reinstatement", headers=headers).status_code == 404
    active_id = client.get(base, headers=headers).json[0]["id"]
    not_suspended = client.post(f"{base}/{active_id}/reinstatement", headers=headers)
    assert (not_suspended.status_code, not_suspended.json["code"]) == (409, "administrator_not_suspended")
    assert len(_actions("entity.administrator_appoint")) == 1


def test_a_change_of_representative_suspends_administrators_keeps_agents_and_tells_the_successor(
        client, emulator, authority, company):
    admin, kept, agent, successor = (create_resident(name=n) for n in ("钱七", "孙六", "李四", "赵六"))
    admin_id = appoint(client, company, admin).json["id"]
    kept_id = appoint(client, company, kept).json["id"]
    agent_id = grant(client, company, agent, ["view_licences"])
    former = company.representative

    send_ok(client, authority, entity_record(company.uscc, successor, version=2))

    # the former representative cannot act; administrators are suspended; the agent keeps working
    for path in ("", "/agents", "/administrators"):
        assert client.get(f"/api/v1/entities/{company.uscc}{path}", headers=former.headers).status_code == 404
    assert appoint(client, company, create_resident(name="马一"), headers=former.headers).status_code == 404
    assert client.get(f"/api/v1/entities/{company.uscc}/agents", headers=admin.headers).status_code == 404
    assert client.get(BIND, headers=admin.headers).json == []
    assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers).status_code == 200
    assert len(_actions("entity.administrator_suspend")) == 2

    register_in_registry(emulator, company.uscc, successor)
    assert client.post(BIND, json={"uscc": company.uscc}, headers=successor.headers).status_code == 201
    run_queued_jobs()
    notes = client.get("/api/v1/me/notifications", headers=successor.headers).json
    assert [n["title"] for n in notes] == ["您已成为企业法定代表人"]
    body = notes[0]["body"]
    assert "经办人：*四（至" in body and "*七（至" in body and "*六（至" in body and "已暂停待您确认" in body
    assert client.get("/api/v1/me/notifications", headers=former.headers).json == []

    headers = successor.headers
    base = f"/api/v1/entities/{company.uscc}/administrators"
    assert {a["id"]: a["status"] for a in client.get(base, headers=headers).json} == {
        admin_id: "suspended", kept_id: "suspended"}
    reinstated = client.post(f"{base}/{kept_id}/reinstatement", headers=headers)
    assert reinstated.status_code == 200 and reinstated.json["status"] == "active"
    assert client.delete(f"{base}/{admin_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/entities/{company.uscc}/agents", headers=kept.headers).status_code == 200
    assert client.get(f"/api/v1/entities/{company.uscc}/agents", headers=admin.headers).status_code == 404
    ended = client.post(f"{base}/{admin_id}/reinstatement", headers=headers)
    assert ended.json["code"] == "administrator_not_suspended"
    assert client.delete(f"/api/v1/entities/{company.uscc}/agents/{agent_id}", headers=headers).status_code == 204

    # binding again (same representative) tells them nothing new
    assert client.post(BIND, json={"uscc": company.uscc}, headers=successor.headers).status_code == 201
    run_queued_jobs()
    assert len(client.get("/api/v1/me/notifications", headers=successor.headers).json) == 1
