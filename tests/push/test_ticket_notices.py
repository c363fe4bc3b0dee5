"""Ticket notices reach the requester's inbox (category tickets), once each, and stay on the ticket."""

from __future__ import annotations

from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id


def test_a_staff_reply_and_the_resolution_appear_in_the_requesters_inbox_once_each(client):
    load_demo_catalogue()
    resident, other = create_resident(name="陈小明"), create_resident(name="李四")
    agent = create_staff_member(display_name="公安厅工作人员 001号")
    ticket_id = client.post("/api/v1/tickets", headers=resident.headers, json={
        "kind": "consultation", "service_id": service_id("gd-gat-sfz-hl"), "title": "身份证换领需要带什么材料",
        "description": "身份证明年到期，想提前换领。", "contact_preference": "message"}).json["id"]
    base = f"/api/v1/staff/tickets/{ticket_id}"
    client.post(f"{base}/claim", headers=agent.headers)
    client.post(f"{base}/transitions", headers=agent.headers, json={"action": "start"})
    client.post(f"{base}/messages", headers=agent.headers, json={"body": "请带上旧证和户口簿。"})
    client.post(f"{base}/transitions", headers=agent.headers, json={"action": "resolve", "note": "已答复"})

    inbox = client.get("/api/v1/me/notifications", headers=resident.headers).json
    assert [n["title"] for n in inbox][::-1][:1] == ["工单有新回复"]
    assert len(inbox) == 2 and {n["category"] for n in inbox} == {"tickets"}
    assert inbox[0]["page"] == f"pages/tickets/detail?id={ticket_id}"
    assert client.get("/api/v1/me/notifications", headers=other.headers).json == []
    events = client.get(f"/api/v1/tickets/{ticket_id}/events", headers=resident.headers).json
    assert [e["details"]["reason"] for e in events if e["kind"] == "notice"] == ["reply", "resolve"]
    assert client.get("/api/v1/me/notifications/unread-count", headers=resident.headers).json == {"unread": 2}
