"""Tickets for a company: opened by its legal representative or an agent with manage_tickets."""

import pytest

from tests.support.entities import bound_entity, grant, market_authority
from tests.support.residents import create_resident
from tests.support.staff import load_demo_catalogue, service_id


@pytest.fixture
def company(client, emulator):
    load_demo_catalogue()
    return bound_entity(client, emulator, market_authority())


def open_for(client, resident, uscc):
    return client.post("/api/v1/tickets", headers=resident.headers, json={
        "kind": "help", "service_id": service_id("gd-gat-sfz-hl"), "title": "企业员工证件咨询",
        "description": "公司员工集体换证如何预约？", "entity_uscc": uscc})


def test_the_legal_representative_opens_a_ticket_for_the_company(client, company):
    response = open_for(client, company.representative, company.uscc)
    assert response.status_code == 201, response.json
    assert response.json["entity_uscc"] == company.uscc


def test_an_agent_with_manage_tickets_may_and_one_without_may_not(client, company):
    helper, viewer = create_resident(name="李四"), create_resident(name="王五")
    grant(client, company, helper, ["manage_tickets"])
    grant(client, company, viewer, ["view_licences"])
    assert open_for(client, helper, company.uscc).status_code == 201
    refused = open_for(client, viewer, company.uscc)
    unknown = open_for(client, viewer, "91440106MA0000000X")
    assert refused.status_code == 404 and refused.json["code"] == "not_found"
    assert unknown.status_code == 404 and unknown.json["code"] == refused.json["code"]


def test_a_stranger_cannot_open_a_ticket_in_a_companys_name(client, company):
    stranger = create_resident(name="赵六")
    response = open_for(client, stranger, company.uscc)
    assert response.status_code == 404
