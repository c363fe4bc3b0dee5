"""An entity's licence list is answered from its cache (app/readcache.py) for the legal representative,
and every change shows on the next request: a new licence, a decision, a change of representative.
An agent's list is never cached (the grant lapses by itself; each use is audited), and no one else
is ever answered from the representative's cache."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import session
from tests.support.entities import (
    bound_entity,
    entity_record,
    grant,
    licence_record,
    licence_status_record,
    market_authority,
    send_ok,
)
from tests.support.residents import create_resident
from tests.support.roundtrips import counting

FIRST, SECOND = "JY14401060001111", "JY14401060002222"


@pytest.fixture
def authority():
    return market_authority()


@pytest.fixture
def company(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(FIRST, company.uscc, issued_on=date(2024, 3, 1)))
    return company


def _path(company) -> str:
    return f"/api/v1/entities/{company.uscc}/licences"


def _numbers(client, company, headers) -> list[str]:
    response = client.get(_path(company), headers=headers)
    assert response.status_code == 200, response.json
    return [licence["number"] for licence in response.json]


def _cached_numbers(client, company, headers) -> list[str]:
    with counting() as trips:
        numbers = _numbers(client, company, headers)
    assert trips.sql == [], trips.sql
    return numbers


def test_a_new_licence_shows_on_the_next_request(client, company, authority):
    rep = company.representative.headers
    assert _numbers(client, company, rep) == [FIRST]
    assert _cached_numbers(client, company, rep) == [FIRST]
    send_ok(client, authority, licence_record(SECOND, company.uscc, issued_on=date(2025, 3, 1)))
    assert sorted(_numbers(client, company, rep)) == [FIRST, SECOND]


def test_a_decision_shows_on_the_next_request(client, company, authority):
    rep = company.representative.headers
    _numbers(client, company, rep)
    _cached_numbers(client, company, rep)
    send_ok(client, authority, licence_status_record(FIRST, "suspend", "食品安全抽检不合格，责令停业整改"))
    [licence] = client.get(_path(company), headers=rep).json
    assert licence["status"] == "suspended"


def test_a_former_representative_is_refused_on_the_next_request(client, company, authority):
    rep = company.representative.headers
    _numbers(client, company, rep)
    _cached_numbers(client, company, rep)
    successor = create_resident(name="李四")
    send_ok(client, authority, entity_record(company.uscc, successor, version=2))  # the register names another
    refused = client.get(_path(company), headers=rep)
    assert refused.status_code == 404 and refused.json["code"] == "not_found"


def test_someone_else_is_never_answered_from_the_representatives_cache(client, company):
    _numbers(client, company, company.representative.headers)
    _cached_numbers(client, company, company.representative.headers)
    stranger = create_resident(level=3)
    answer = client.get(_path(company), headers=stranger.headers)
    assert answer.status_code == 404 and answer.json["code"] == "not_found"


def test_an_agents_list_is_never_cached_and_each_use_is_audited(client, company):
    agent = create_resident(level=2, name="孙八")
    grant(client, company, agent, ["view_licences"])
    for _ in range(2):
        with counting() as trips:
            assert _numbers(client, company, agent.headers) == [FIRST]
        assert trips.sql  # read from the database each time
    uses = session().scalars(select(AuditEntry).where(AuditEntry.action == "entity.agent_use")).all()
    assert len(uses) == 2
