"""A record belongs to the authority that first issued it: no other authority may change, reissue or
revoke it, and an authority issues only the certificate and licence types it is registered for."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.db import session
from app.entities.models import Entity
from app.intake.authorities import register_authority
from app.licences.models import Licence
from tests.support.certificates import CERTIFICATE_TYPES, PEOPLE_TYPES, certificate_data, issue
from tests.support.entities import MARKET_TYPES, entity_record, licence_record, licence_status_record, new_uscc, send
from tests.support.intake import make_authority, record
from tests.support.residents import create_resident

CHECK = "/api/v1/licences/check"


def test_another_authority_cannot_move_a_persons_id_card_to_someone_else(client):
    owner, stranger = create_resident(name="张三"), create_resident(name="李四")
    issuer, other = make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES), make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES)
    data = certificate_data(owner.id_number, number="GD-OWN-0001", holder_name="张三")
    assert issue(client, issuer, "certificate", data)["status"] == "accepted"

    takeover = issue(client, other, "certificate", {**data, "holder_id_number": stranger.id_number,
                                                    "holder_name": "李四"})
    assert (takeover["status"], takeover["reason"]) == ("rejected", "record_owned_by_other_authority")
    assert [c["type"] for c in client.get("/api/v1/me/certificates", headers=owner.headers).json] == [
        "resident_id_card"]
    assert client.get("/api/v1/me/certificates", headers=stranger.headers).json == []
    revoke = {"type": "resident_id_card", "number": "GD-OWN-0001", "reason": "证件挂失"}
    assert issue(client, other, "certificate_status", {**revoke, "status": "revoked"})["reason"] == \
        "record_owned_by_other_authority"
    # The real issuer still reissues and revokes it.
    assert issue(client, issuer, "certificate", {**data, "expires_on": "2045-01-01"}, version=2)["status"] == \
        "accepted"
    assert issue(client, issuer, "certificate_status", {**revoke, "status": "revoked"})["status"] == "accepted"
    assert client.get("/api/v1/me/certificates", headers=owner.headers).json[0]["status"] == "revoked"


def test_another_authority_cannot_move_or_revoke_a_companys_licence(client):
    issuer, other = make_authority(MARKET_TYPES), make_authority(MARKET_TYPES)
    first, second = new_uscc(), new_uscc()
    send(client, issuer, entity_record(first, create_resident()))
    send(client, other, entity_record(second, create_resident(), name="深圳市另一家有限公司"))
    send(client, issuer, licence_record("JY14401069990001", first))
    send(client, other, licence_record("JY14401069990002", second))

    moved = send(client, other, licence_record("JY14401069990001", second, version=2))["results"][0]
    revoked = send(client, issuer, licence_status_record("JY14401069990002", "revoke"))["results"][0]
    assert (moved["status"], moved["reason"]) == ("rejected", "record_owned_by_other_authority")
    assert (revoked["status"], revoked["reason"]) == ("rejected", "record_owned_by_other_authority")
    one = client.get(CHECK, query_string={"number": "JY14401069990001"}).json
    two = client.get(CHECK, query_string={"number": "JY14401069990002"}).json
    assert (one["holder_uscc"], one["status"]) == (first, "valid")
    assert (two["holder_uscc"], two["status"]) == (second, "valid")
    owners = dict(session().execute(select(Licence.number, Licence.authority_id)).all())
    assert owners["JY14401069990001"] == issuer.id and owners["JY14401069990002"] == other.id


def test_another_authority_cannot_rewrite_an_entitys_facts(client):
    issuer, other = make_authority(MARKET_TYPES), make_authority(MARKET_TYPES)
    uscc = new_uscc()
    send(client, issuer, entity_record(uscc, create_resident(), name="广州市真实有限公司"))
    results = send(client, other,
                   entity_record(uscc, create_resident(), name="冒名公司", version=1),
                   record("entity_stage", "ST-1", {"uscc": uscc, "stage": "deregistered",
                                                   "effective_on": "2025-01-01", "reason": "冒充"}),
                   record("annual_report", "AR-1", {"uscc": uscc, "year": 2024, "status": "overdue"}))["results"]
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "record_owned_by_other_authority")] * 3
    entity = session().scalars(select(Entity).where(Entity.uscc == uscc)).one()
    assert (entity.name, entity.stage, entity.authority_id) == ("广州市真实有限公司", "operating", issuer.id)


@pytest.mark.parametrize("record_type", ["certificate", "licence"])
def test_an_authority_issues_only_the_document_types_it_is_registered_for(client, record_type):
    holder = create_resident(name="张三")
    uscc = new_uscc()
    police = make_authority(["person", "certificate:resident_id_card", "entity", "licence:food_business_licence"])
    send(client, police, entity_record(uscc, create_resident()))
    if record_type == "certificate":
        allowed = issue(client, police, "certificate", certificate_data(holder.id_number))
        refused = issue(client, police, "certificate", certificate_data(holder.id_number, type="driving_licence"))
    else:
        allowed = send(client, police, licence_record("JY14401069990003", uscc))["results"][0]
        refused = send(client, police, licence_record("YP14401069990003", uscc,
                                                      type="drug_business_licence"))["results"][0]
    assert allowed["status"] == "accepted", allowed
    assert (refused["status"], refused["reason"]) == ("rejected", "document_type_not_allowed")
    assert refused["details"]["document_type"] in ("certificate:driving_licence", "licence:drug_business_licence")


def test_registration_names_document_types_one_by_one(app):
    result = app.test_cli_runner().invoke(args=["intake", "register-authority", "--id", "gd-police-test",
                                                "--name", "广东省公安厅", "--types", "person,certificate"])
    assert result.exit_code != 0
    assert "document_types_required" in result.output
    secret = register_authority("gd-police-test2", "广东省公安厅", ["person", "certificate:resident_id_card"])
    assert secret


def test_a_life_event_of_one_authority_is_out_of_reach_of_another(client):
    person = create_resident(name="张三")
    first, second = make_authority(PEOPLE_TYPES), make_authority(PEOPLE_TYPES)
    event = {"id_number": person.id_number, "type": "employment", "date": date(2020, 1, 1).isoformat(),
             "payload": {"employer": "广州市示例贸易有限公司"}}
    assert issue(client, first, "life_event", event, record_id="EV-1")["status"] == "accepted"
    # The same record id from another authority is another record: it cannot reach the first one.
    assert issue(client, second, "life_event", {**event, "type": "retirement", "payload": {}},
                 record_id="EV-1")["status"] == "accepted"
    types = sorted(e["type"] for e in client.get("/api/v1/me/life-events", headers=person.headers).json)
    assert types == ["employment", "retirement"]
