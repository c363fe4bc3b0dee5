"""The legal representative authorises agents (经办人) with scopes and an expiry, and revokes them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit.models import AuditEntry
from app.db import session
from tests.support.entities import bound_entity, grant, let_grant_expire, market_authority
from tests.support.residents import create_resident


@pytest.fixture
def company(client, emulator):
    return bound_entity(client, emulator, market_authority())


def _actions(action):
    return session().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_an_agent_sees_the_company_with_their_scopes_and_expiry(client, company):
    agent = create_resident(level=2, name="孙八")
    grant_id = grant(client, company, agent, ["manage_tickets", "view_licences"], days=90)

    mine = client.get("/api/v1/me/entities", headers=agent.headers).json

    assert len(mine) == 1
    assert mine[0]["uscc"] == company.uscc and mine[0]["role"] == "agent" and mine[0]["grant_id"] == grant_id
    assert mine[0]["scopes"] == ["view_licences", "manage_tickets"]
    assert mine[0]["expires_at"] is not None
    listed = client.get(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers).json
    assert listed[0]["agent_name"] == "*八"
    assert listed[0]["agent_id_number"] != agent.id_number and listed[0]["agent_id_number"][-1] == agent.id_number[-1]
    assert listed[0]["status"] == "active"


def test_grant_use_and_revocation_are_each_audited(client, company):
    agent = create_resident(name="周九")
    grant_id = grant(client, company, agent, ["view_licences"])
    client.get(f"/api/v1/entities/{company.uscc}/licences", headers=agent.headers)
    client.delete(f"/api/v1/entities/{company.uscc}/agents/{grant_id}", headers=company.representative.headers)

    granted, = _actions("entity.agent_grant")
    used, = _actions("entity.agent_use")
    revoked, = _actions("entity.agent_revoke")
    assert granted.details["grant_id"] == used.details["grant_id"] == revoked.details["grant_id"] == grant_id
    assert used.actor_id == str(agent.account_id) and used.details["scope"] == "view_licences"
    assert used.subject_id == company.uscc
    assert agent.id_number not in str(granted.details)


def test_the_representatives_own_requests_are_not_logged_as_agent_use(client, company):
    client.get(f"/api/v1/entities/{company.uscc}/licences", headers=company.representative.headers)
    assert _actions("entity.agent_use") == []


def test_an_agent_cannot_grant_list_or_revoke(client, company):
    agent = create_resident(name="吴十")
    other = create_resident(name="郑一")
    grant_id = grant(client, company, agent, ["view_licences", "manage_tickets", "receive_notifications"])
    base = f"/api/v1/entities/{company.uscc}/agents"
    expires = (clock.now() + timedelta(days=5)).isoformat()

    attempts = [
        client.post(base, json={"id_number": other.id_number, "scopes": ["view_licences"], "expires_at": expires},
                    headers=agent.headers),
        client.get(base, headers=agent.headers),
        client.delete(f"{base}/{grant_id}", headers=agent.headers),
    ]

    assert [a.status_code for a in attempts] == [404, 404, 404]
    assert len(_actions("entity.agent_grant")) == 1
    assert _actions("entity.agent_revoke") == []


def test_only_a_resident_with_a_verified_real_name_can_be_an_agent(client, company):
    phone_only = create_resident(level=1)
    response = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers,
                           json={"id_number": "440106199001010012", "scopes": ["view_licences"],
                                 "expires_at": (clock.now() + timedelta(days=5)).isoformat()})
    assert phone_only.id_number is None
    assert response.status_code == 422
    assert response.json["code"] == "agent_not_verified"


@pytest.mark.parametrize("expires_in, scopes, code", [
    (timedelta(seconds=-1), ["view_licences"], "expiry_invalid"),
    (timedelta(days=4 * 366), ["view_licences"], "expiry_invalid"),
    (timedelta(days=5), ["grant_agents"], "validation_error"),
    (timedelta(days=5), [], "validation_error"),
])
def test_a_grant_needs_known_scopes_and_an_expiry_within_three_years(client, company, expires_in, scopes, code):
    agent = create_resident()
    response = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers,
                           json={"id_number": agent.id_number, "scopes": scopes,
                                 "expires_at": (clock.now() + expires_in).isoformat()})
    assert response.status_code == 422
    assert response.json["code"] == code


def test_a_second_live_grant_to_the_same_agent_is_a_conflict_until_the_first_is_revoked(client, company):
    agent = create_resident()
    first = grant(client, company, agent, ["view_licences"])
    body = {"id_number": agent.id_number, "scopes": ["manage_tickets"],
            "expires_at": (clock.now() + timedelta(days=5)).isoformat()}
    url = f"/api/v1/entities/{company.uscc}/agents"
    assert client.post(url, json=body, headers=company.representative.headers).json["code"] == "agent_already_granted"
    client.delete(f"{url}/{first}", headers=company.representative.headers)
    assert client.post(url, json=body, headers=company.representative.headers).status_code == 201


def test_the_representative_cannot_make_themself_an_agent(client, company):
    response = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers,
                           json={"id_number": company.representative.id_number, "scopes": ["view_licences"],
                                 "expires_at": (clock.now() + timedelta(days=5)).isoformat()})
    assert response.json["code"] == "agent_is_representative"


def test_an_expired_grant_no_longer_lets_the_agent_act_and_shows_as_expired(client, company):
    agent = create_resident()
    grant_id = grant(client, company, agent, ["view_licences"], days=1)
    url = f"/api/v1/entities/{company.uscc}/licences"
    assert client.get(url, headers=agent.headers).status_code == 200

    let_grant_expire(grant_id)

    assert client.get(url, headers=agent.headers).status_code == 404
    assert client.get("/api/v1/me/entities", headers=agent.headers).json == []
    listed = client.get(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers).json
    assert listed[0]["status"] == "expired"


def test_a_grant_until_a_date_lasts_to_the_end_of_that_day_in_china(client, company):
    agent = create_resident()
    until = clock.today() + timedelta(days=30)
    response = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers,
                           json={"id_number": agent.id_number, "scopes": ["view_licences"],
                                 "expires_at": until.isoformat()})

    assert response.status_code == 201, response.json
    expires = datetime.fromisoformat(response.json["expires_at"]).astimezone(clock.local_tz())
    assert expires.date() == until and (expires + timedelta(seconds=1)).date() == until + timedelta(days=1)


@pytest.mark.parametrize("value", ["2027-13-01", "2027-01-01T08:00:00", "明天"])
def test_a_grant_expiry_that_is_neither_a_date_nor_an_aware_time_is_refused(client, company, value):
    agent = create_resident()
    response = client.post(f"/api/v1/entities/{company.uscc}/agents", headers=company.representative.headers,
                           json={"id_number": agent.id_number, "scopes": ["view_licences"], "expires_at": value})
    assert response.status_code == 422
    assert response.json["code"] == "validation_error" and "expires_at" in response.json["details"]["fields"]["json"]
