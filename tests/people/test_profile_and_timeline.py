"""A resident's lifecycle profile: who they are, their household, and a timeline of life events."""

import json
from datetime import date

import pytest

from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.people.household import parents_of
from app.people.persons import find_person
from tests.support.certificates import full_authority, issue
from tests.support.intake import record as intake_record
from tests.support.intake import send_batch
from tests.support.residents import create_resident, new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue


def event(id_number, kind, day, **payload):
    return {"id_number": id_number, "type": kind, "date": day, "payload": payload}


def test_my_profile_is_masked_at_l2_and_shown_in_full_at_l3(client):
    id_number = new_id_number(birth=date(1990, 5, 17))
    l2 = create_resident(level=2, name="张三", id_number=id_number)
    profile = client.get("/api/v1/me/profile", headers=l2.headers).json
    assert (profile["name"], profile["masked"]) == ("*三", True)
    assert profile["id_number"] == id_number[0] + "*" * 16 + id_number[-1]
    assert profile["birth_date"] == "1990-05-17"
    assert profile["sex"] == ("male" if int(id_number[16]) % 2 else "female")

    l3 = create_resident(level=3, name="李四")
    profile = client.get("/api/v1/me/profile", headers=l3.headers).json
    assert (profile["name"], profile["id_number"], profile["masked"]) == ("李四", l3.id_number, False)


def test_a_resident_without_real_name_has_no_profile_yet(client):
    response = client.get("/api/v1/me/profile", headers=create_resident(level=1).headers)
    assert (response.status_code, response.json["code"]) == (403, "level_required")


def test_household_links_from_an_authority_show_masked_and_parents_are_found_by_join(client):
    parent = create_resident(name="张三")
    child_number = new_id_number(birth=date(2020, 3, 1))
    authority = full_authority()
    send_batch(client, authority, [
        intake_record("person", "P-child", {"name": "张小宝", "id_number": child_number}),
        intake_record("household_link", "L-1", {"from_id_number": child_number, "to_id_number": parent.id_number,
                                                "relation": "parent"}),
    ])
    household = client.get("/api/v1/me/profile", headers=parent.headers).json["household"]
    assert household == [{"relation": "child", "name": "**宝", "birth_date": "2020-03-01",
                          "sex": "male" if int(child_number[16]) % 2 else "female"}]
    child = find_person(child_number)
    assert [p.account_id for p in parents_of(child.id)] == [parent.account_id]


def test_the_timeline_is_newest_first_and_paginated(client):
    resident = create_resident()
    authority = full_authority()
    n = resident.id_number
    send_batch(client, authority, [
        intake_record("life_event", "E-1", event(n, "birth", "1990-05-17")),
        intake_record("life_event", "E-2", event(n, "school_enrolment", "1996-09-01", school="天河小学",
                                                 stage="primary")),
        intake_record("life_event", "E-3", event(n, "marriage", "2018-10-01")),
    ])
    first = client.get("/api/v1/me/life-events?page=1&page_size=2", headers=resident.headers)
    assert [e["type"] for e in first.json] == ["marriage", "school_enrolment"]
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    second = client.get("/api/v1/me/life-events?page=2&page_size=2", headers=resident.headers)
    assert [e["type"] for e in second.json] == ["birth"]


def test_a_resident_may_report_a_relocation_but_not_a_marriage(client):
    resident = create_resident(level=2)
    moved = client.post("/api/v1/me/life-events", headers=resident.headers,
                        json={"type": "relocation", "date": "2024-03-01",
                              "payload": {"to_area_code": "440305", "reason": "work"}})
    assert moved.status_code == 201, moved.json
    assert (moved.json["source"], moved.json["payload"]["to_area_code"]) == ("self", "440305")
    married = client.post("/api/v1/me/life-events", headers=resident.headers,
                          json={"type": "marriage", "date": "2024-03-01", "payload": {}})
    assert (married.status_code, married.json["code"]) == (422, "life_event_not_self_reportable")
    timeline = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert [e["type"] for e in timeline] == ["relocation"]


def test_a_self_reported_payload_is_checked_against_its_type(client):
    resident = create_resident(level=2)
    response = client.post("/api/v1/me/life-events", headers=resident.headers,
                           json={"type": "employment", "date": "2024-03-01", "payload": {"salary": 9000}})
    assert (response.status_code, response.json["code"]) == (422, "life_event_payload_invalid")
    assert "employer" in response.json["details"]["fields"]


@pytest.mark.parametrize("code", ["999999", "440100", "449999"])
def test_a_relocation_must_name_a_real_county_level_area(client, code):
    resident = create_resident(level=2)
    response = client.post("/api/v1/me/life-events", headers=resident.headers,
                           json={"type": "relocation", "date": "2024-03-01", "payload": {"to_area_code": code}})
    assert (response.status_code, response.json["code"]) == (422, "life_event_payload_invalid")
    assert response.json["details"]["fields"]["to_area_code"] == ["不是有效的县级行政区划代码"]
    assert client.get("/api/v1/me/life-events", headers=resident.headers).json == []


def test_a_relocation_to_a_city_without_districts_is_accepted(client):
    resident = create_resident(level=2)
    response = client.post("/api/v1/me/life-events", headers=resident.headers,
                           json={"type": "relocation", "date": "2024-03-01", "payload": {"to_area_code": "441900"}})
    assert response.status_code == 201, response.json


def test_one_residents_timeline_never_shows_anothers_events(client):
    owner, other = create_resident(), create_resident()
    issue(client, full_authority(), "life_event", event(owner.id_number, "birth", "1990-05-17"))
    client.post("/api/v1/me/life-events", headers=owner.headers,
                json={"type": "employment", "date": "2020-01-01", "payload": {"employer": "甲公司"}})
    assert len(client.get("/api/v1/me/life-events", headers=owner.headers).json) == 2
    assert client.get("/api/v1/me/life-events", headers=other.headers).json == []


def _staff_read(account_id: int, staff_id: int) -> None:
    record_read(account_id, by=Actor("staff", str(staff_id)), data=["profile"], purpose="ticket_handling",
                ticket_id=5, internal_note="not shown")


def test_the_access_log_names_who_read_what_why_and_when_without_staff_usernames(client):
    load_demo_catalogue()
    staff = create_staff_member(display_name="李工作")
    resident, other = create_resident(level=2), create_resident(level=2)
    _staff_read(resident.account_id, staff.id)
    _staff_read(other.account_id, staff.id)
    log = client.get("/api/v1/me/access-log", headers=resident.headers)
    assert log.status_code == 200
    assert json.loads(log.headers["X-Pagination"])["total"] == 1
    entry = log.json[0]
    assert (entry["actor_type"], entry["actor"]) == ("staff", f"广东省公安厅 工作人员 {staff.id:03d}号")
    assert (entry["data"], entry["purpose"], entry["details"]) == (["个人基本信息"], "处理您的工单",
                                                                   {"ticket_id": 5})
    assert entry["at"]
