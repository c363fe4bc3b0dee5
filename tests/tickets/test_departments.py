"""Staff see and touch only their departments' tickets; transfers move a ticket between them;
opening a requester's details is written to the requester's access log."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import session
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, department_id, load_demo_catalogue
from tests.support.tickets import ticket_in_state


@pytest.fixture
def world():
    load_demo_catalogue()
    resident = create_resident(level=3, name="陈小明", phone="13800138000")
    police = create_staff_member(display_name="公安厅工作人员 001号")
    social = create_staff_member(departments=("gd-rst",), display_name="人社厅工作人员 002号")
    return resident, police, social


def test_staff_of_another_department_get_the_same_answer_as_for_a_missing_ticket(client, world):
    resident, police, social = world
    ticket = ticket_in_state(resident.account_id, police, "in_progress")
    missing = 999_999
    for method, suffix, body in [("get", "", None), ("get", "/events", None), ("get", "/messages", None),
                                 ("post", "/messages", {"body": "你好"}), ("post", "/claim", None),
                                 ("post", "/transitions", {"action": "resolve", "note": "已答复"}),
                                 ("get", "/requester", None),
                                 ("post", "/transfer", {"department_id": department_id("gd-rst"), "reason": "x"})]:
        theirs = getattr(client, method)(f"/api/v1/staff/tickets/{ticket.id}{suffix}", headers=social.headers,
                                         json=body)
        absent = getattr(client, method)(f"/api/v1/staff/tickets/{missing}{suffix}", headers=social.headers,
                                         json=body)
        assert theirs.status_code == absent.status_code == 404, suffix
        assert (theirs.json["code"], theirs.json["message"]) == (absent.json["code"], absent.json["message"])
    assert client.get("/api/v1/staff/tickets", headers=social.headers).json == []
    assert client.get(f"/api/v1/staff/tickets?department_id={department_id('gd-gat')}",
                      headers=social.headers).json == []
    # Nothing happened to the ticket.
    assert client.get(f"/api/v1/staff/tickets/{ticket.id}", headers=police.headers).json["state"] == "in_progress"


def test_another_resident_cannot_see_my_ticket(client, world):
    resident, police, _ = world
    ticket = ticket_in_state(resident.account_id, police, "new")
    stranger = create_resident(level=3)
    assert client.get(f"/api/v1/tickets/{ticket.id}", headers=stranger.headers).status_code == 404
    assert client.get("/api/v1/tickets", headers=stranger.headers).json == []


def test_a_transfer_moves_the_ticket_to_the_other_departments_queue_with_its_reason(client, world):
    resident, police, social = world
    ticket = ticket_in_state(resident.account_id, police, "in_progress", service="gd-gat-sfz-hl")
    before = client.get(f"/api/v1/tickets/{ticket.id}", headers=resident.headers).json
    moved = client.post(f"/api/v1/staff/tickets/{ticket.id}/transfer", headers=police.headers,
                        json={"department_id": department_id("gd-rst"), "reason": "属社保卡业务"})
    assert moved.status_code == 200 and moved.json["state"] == "new" and moved.json["assignee_id"] is None
    assert client.get(f"/api/v1/staff/tickets/{ticket.id}", headers=police.headers).status_code == 404
    queue = client.get("/api/v1/staff/tickets?state=new", headers=social.headers).json
    assert [t["id"] for t in queue] == [ticket.id]
    event = next(e for e in client.get(f"/api/v1/staff/tickets/{ticket.id}/events", headers=social.headers).json
                 if e["kind"] == "transfer")
    assert event["details"]["reason"] == "属社保卡业务" and event["actor"] == "公安厅工作人员 001号"
    assert (event["from_state"], event["to_state"]) == ("in_progress", "new")
    after = client.get(f"/api/v1/tickets/{ticket.id}", headers=resident.headers).json
    assert after["department"]["name"] == "广东省人力资源和社会保障厅"
    assert after["resolution_due"] == before["resolution_due"]  # deadlines are not restarted
    assert client.post(f"/api/v1/staff/tickets/{ticket.id}/claim", headers=social.headers).status_code == 200


def test_opening_a_requesters_details_is_written_to_their_access_log(client, world):
    resident, police, _ = world
    ticket = ticket_in_state(resident.account_id, police, "assigned")
    details = client.get(f"/api/v1/staff/tickets/{ticket.id}/requester", headers=police.headers)
    assert details.status_code == 200
    assert (details.json["name"], details.json["phone"]) == ("陈小明", "13800138000")
    entries = session().scalars(select(AuditEntry).where(AuditEntry.action == "data.read")).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor_type, entry.actor_id) == ("staff", str(police.id))
    assert (entry.subject_type, entry.subject_id) == ("account", str(resident.account_id))
    assert entry.details["data"] == ["name", "phone"] and entry.details["purpose"] == "ticket_contact"
    assert "陈小明" not in str(entry.details) and "13800138000" not in str(entry.details)
    [shown] = client.get("/api/v1/me/access-log", headers=resident.headers).json
    assert (shown["actor"], shown["data"], shown["purpose"]) == (
        f"广东省公安厅 工作人员 {police.id:03d}号", ["姓名", "手机号"], "联系您处理工单")


def test_the_queue_filters_by_state_and_assignee(client, world):
    resident, police, _ = world
    other = create_staff_member()
    mine = ticket_in_state(resident.account_id, police, "in_progress")
    theirs = ticket_in_state(resident.account_id, other, "assigned")
    fresh = ticket_in_state(resident.account_id, police, "new")

    def ids(query):
        return sorted(t["id"] for t in client.get(f"/api/v1/staff/tickets?{query}", headers=police.headers).json)

    assert ids("") == sorted([mine.id, theirs.id, fresh.id])
    assert ids("assignee=me") == [mine.id]
    assert ids(f"assignee={other.id}") == [theirs.id]
    assert ids("assignee=none") == [fresh.id]
    assert ids("state=assigned") == [theirs.id]
