"""Tickets for a company: opened by its legal representative or an agent with manage_tickets."""

import json

import pytest

from app.tickets import lifecycle
from tests.support.entities import bound_entity, grant, market_authority
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id


@pytest.fixture
def company(client, emulator):
    load_demo_catalogue()
    return bound_entity(client, emulator, market_authority())


def open_for(client, resident, uscc):
    """A ticket for the company ``uscc``, or with None the resident's own."""
    return client.post("/api/v1/tickets", headers=resident.headers, json={
        "kind": "help", "service_id": service_id("gd-gat-sfz-hl"), "title": "企业员工证件咨询",
        "description": "公司员工集体换证如何预约？", **({"entity_uscc": uscc} if uscc else {})})


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


def test_everyone_acting_for_the_company_with_manage_tickets_follows_its_tickets(client, company):
    helper, viewer, stranger = create_resident(name="李四"), create_resident(name="王五"), create_resident(name="赵六")
    grant_id = grant(client, company, helper, ["manage_tickets"])
    grant(client, company, viewer, ["view_licences"])
    rep = company.representative
    ticket = open_for(client, rep, company.uscc).json
    mine = open_for(client, rep, None).json  # the representative's own, not the company's
    url = f"/api/v1/tickets/{ticket['id']}"

    listed = client.get("/api/v1/tickets", headers=helper.headers, query_string={"entity_uscc": company.uscc})
    assert [t["id"] for t in listed.json] == [ticket["id"]]
    assert client.get("/api/v1/tickets", headers=helper.headers).json == []  # none opened by the agent
    assert client.get(url, headers=helper.headers).json["title"] == "企业员工证件咨询"
    posted = client.post(f"{url}/messages", headers=helper.headers, json={"body": "补充：共30名员工"})
    assert posted.status_code == 201
    assert [m["body"] for m in client.get(f"{url}/messages", headers=rep.headers).json] == ["补充：共30名员工"]

    for outsider in (viewer, stranger):
        for path in (url, f"{url}/events", f"{url}/messages", f"/api/v1/tickets/{mine['id']}"):
            response = client.get(path, headers=outsider.headers)
            assert response.status_code == 404 and response.json["code"] == "not_found"
        refused = client.get("/api/v1/tickets", headers=outsider.headers,
                             query_string={"entity_uscc": company.uscc})
        assert refused.status_code == 404
    assert client.get(f"/api/v1/tickets/{mine['id']}", headers=helper.headers).status_code == 404

    # Rating stays with the person who opened the ticket.
    assert client.get(f"{url}/rating", headers=helper.headers).status_code == 404
    client.delete(f"/api/v1/entities/{company.uscc}/agents/{grant_id}", headers=rep.headers)
    assert client.get(url, headers=helper.headers).status_code == 404


def test_a_companys_ticket_news_reaches_everyone_acting_with_manage_tickets(client, company):
    helper, viewer = create_resident(name="李四"), create_resident(name="王五")
    grant(client, company, helper, ["manage_tickets"])
    grant(client, company, viewer, ["view_licences"])
    handler = create_staff_member()
    ticket = open_for(client, company.representative, company.uscc).json
    lifecycle.claim(handler.principal, ticket["id"])
    lifecycle.step(handler.principal, ticket["id"], "start")
    lifecycle.step(handler.principal, ticket["id"], "resolve", "已答复")

    def titles(resident):
        return [n["title"] for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]

    assert titles(company.representative) == titles(helper) == ["工单已办结"]
    assert titles(viewer) == []


def test_my_tickets_are_paged_newest_first_with_the_total_in_x_pagination(client, company):
    rep = company.representative
    opened = [open_for(client, rep, None).json["id"] for _ in range(3)]
    first = client.get("/api/v1/tickets", headers=rep.headers, query_string={"page_size": 2})
    second = client.get("/api/v1/tickets", headers=rep.headers, query_string={"page_size": 2, "page": 2})
    assert [t["id"] for t in first.json + second.json] == opened[::-1]
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    everything = client.get("/api/v1/tickets", headers=rep.headers)  # 50 a page unless asked
    assert [t["id"] for t in everything.json] == opened[::-1]
    assert client.get("/api/v1/tickets", headers=rep.headers, query_string={"page_size": 101}).status_code == 422
