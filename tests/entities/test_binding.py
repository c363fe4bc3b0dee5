"""A resident binds a company as its legal representative, checked with the market-regulation registry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import session
from app.entities.models import Entity, RepresentativeBinding
from tests.support.entities import (
    bound_entity,
    entity_record,
    grant,
    market_authority,
    new_uscc,
    register_in_registry,
    send_ok,
)
from tests.support.residents import create_resident

BIND = "/api/v1/me/entities"


@pytest.fixture
def authority():
    return market_authority()


def test_the_legal_representative_binds_the_company_and_sees_it_among_my_entities(client, emulator):
    me = create_resident(name="陈大文")
    uscc = new_uscc()
    register_in_registry(emulator, uscc, me, name="深圳市示例科技有限公司")

    response = client.post(BIND, json={"uscc": uscc.lower()}, headers=me.headers)

    assert response.status_code == 201
    assert response.json["uscc"] == uscc
    mine = client.get(BIND, headers=me.headers).json
    assert [(e["uscc"], e["name"], e["role"]) for e in mine] == [
        (uscc, "深圳市示例科技有限公司", "legal_representative")]
    assert "manage_agents" in mine[0]["scopes"]
    entity = session().scalars(select(Entity).where(Entity.uscc == uscc)).one()
    assert entity.representative_name_masked == "**文"
    assert me.id_number not in str(vars(entity)) and "陈大文" not in str(vars(entity))


def test_binding_is_refused_when_the_registry_names_someone_else(client, emulator):
    real_representative, me = create_resident(name="李四"), create_resident(name="王五")
    uscc = new_uscc()
    register_in_registry(emulator, uscc, real_representative)

    response = client.post(BIND, json={"uscc": uscc}, headers=me.headers)

    assert response.status_code == 403
    assert response.json["code"] == "not_legal_representative"
    assert client.get(BIND, headers=me.headers).json == []
    assert session().scalars(select(RepresentativeBinding)).all() == []
    refused = session().scalars(select(AuditEntry).where(AuditEntry.action == "entity.bind")).one()
    assert refused.outcome == "not_legal_representative"


def test_a_code_the_registry_does_not_know_is_refused_with_entity_not_found(client, emulator):
    me = create_resident()
    response = client.post(BIND, json={"uscc": new_uscc()}, headers=me.headers)
    assert response.status_code == 404
    assert response.json["code"] == "entity_not_found"


def test_a_mistyped_code_is_refused_before_asking_the_registry(client, emulator):
    me = create_resident()
    uscc = new_uscc()
    wrong_check = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    response = client.post(BIND, json={"uscc": wrong_check}, headers=me.headers)
    assert response.status_code == 422
    assert response.json["code"] == "uscc_check_char"
    assert emulator.calls("/registry/market/v1/legal-representative/check") == 0


def test_binding_needs_face_verification(client, emulator):
    me = create_resident(level=2)
    response = client.post(BIND, json={"uscc": new_uscc()}, headers=me.headers)
    assert response.status_code == 403
    assert response.json["code"] == "level_required"


def test_when_the_registry_is_down_binding_answers_503_and_writes_nothing(client, emulator):
    me = create_resident()
    uscc = new_uscc()
    register_in_registry(emulator, uscc, me)
    emulator.fault("/registry/market/v1/legal-representative/check", "http_500")

    response = client.post(BIND, json={"uscc": uscc}, headers=me.headers)

    assert response.status_code == 503
    assert response.json["code"] == "upstream_unavailable"
    assert session().scalars(select(Entity)).all() == []
    assert session().scalars(select(RepresentativeBinding)).all() == []


def test_binding_twice_keeps_one_binding(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    again = client.post(BIND, json={"uscc": company.uscc}, headers=company.representative.headers)
    assert again.status_code == 201
    assert len(session().scalars(select(RepresentativeBinding)).all()) == 1


def test_a_new_legal_representative_reported_by_intake_ends_the_old_binding(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    successor = create_resident(name="赵六")

    send_ok(client, authority, entity_record(company.uscc, successor, version=2))

    binding = session().scalars(select(RepresentativeBinding)).one()
    assert binding.ended_at is not None
    assert binding.end_reason == "legal_representative_changed"
    old = company.representative.headers
    assert client.get(BIND, headers=old).json == []
    assert client.get(f"/api/v1/entities/{company.uscc}", headers=old).status_code == 404
    ended = session().scalars(select(AuditEntry).where(AuditEntry.action == "entity.binding_end")).one()
    assert ended.actor_type == "authority"


def test_the_same_representative_reported_again_keeps_the_binding(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, entity_record(company.uscc, company.representative, name="广州市新名称有限公司",
                                             version=2))
    binding = session().scalars(select(RepresentativeBinding)).one()
    assert binding.ended_at is None
    body = client.get(f"/api/v1/entities/{company.uscc}", headers=company.representative.headers).json
    assert body["name"] == "广州市新名称有限公司"


def test_agent_grants_survive_a_change_of_representative_and_the_successor_can_revoke_them(
        client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    agent = create_resident(name="钱七")
    grant_id = grant(client, company, agent, ["view_licences"])
    successor = create_resident(name="赵六")

    send_ok(client, authority, entity_record(company.uscc, successor, version=2))
    register_in_registry(emulator, company.uscc, successor)
    assert client.post(BIND, json={"uscc": company.uscc}, headers=successor.headers).status_code == 201

    assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers).status_code == 200
    grants = client.get(f"/api/v1/entities/{company.uscc}/agents", headers=successor.headers).json
    assert [g["id"] for g in grants] == [grant_id]
    revoked = client.delete(f"/api/v1/entities/{company.uscc}/agents/{grant_id}", headers=successor.headers)
    assert revoked.status_code == 204
    assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers).status_code == 404


def test_binding_by_the_person_the_registry_now_names_ends_the_previous_binding(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    successor = create_resident(name="冯二")
    register_in_registry(emulator, company.uscc, successor)  # the registry knows before our intake does

    assert client.post(BIND, json={"uscc": company.uscc}, headers=successor.headers).status_code == 201

    assert client.get(BIND, headers=company.representative.headers).json == []
    assert [e["uscc"] for e in client.get(BIND, headers=successor.headers).json] == [company.uscc]
