"""What a console may offer: each ticket tells staff the actions they may take on it now, and those
are exactly the ones the API accepts; resolving needs a note; the log and the queue read as a desk
expects (labelled events, open work first)."""

from datetime import UTC, datetime, timedelta

import pytest

from app import clock
from app.tickets.lifecycle import EVENT_LABELS, STAFF_ACTIONS, STATES
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, department_id, load_demo_catalogue
from tests.support.tickets import ticket_in_state

RESOLVED_AT = datetime(2025, 10, 9, 2, 0, tzinfo=UTC)


@pytest.fixture
def world():
    load_demo_catalogue()
    return {"resident": create_resident(level=3), "handler": create_staff_member(display_name="公安厅工作人员 001号"),
            "colleague": create_staff_member(display_name="公安厅工作人员 002号"),
            "supervisor": create_staff_member(role="supervisor", display_name="公安厅值班主管")}


def _attempt(client, caller, ticket_id, action, world):
    base = f"/api/v1/staff/tickets/{ticket_id}"
    if action == "claim":
        return client.post(f"{base}/claim", headers=caller.headers)
    if action == "assign":
        return client.put(f"{base}/assignment", headers=caller.headers, json={"staff_id": world["colleague"].id})
    if action == "transfer":
        return client.post(f"{base}/transfer", headers=caller.headers,
                           json={"department_id": department_id("gd-rst"), "reason": "属社保卡业务"})
    return client.post(f"{base}/transitions", headers=caller.headers, json={"action": action, "note": "已办理"})


@pytest.mark.parametrize("caller", ["handler", "colleague", "supervisor"])
@pytest.mark.parametrize("state, days_after", [*((s, 0) for s in STATES), ("resolved", 8)])
def test_the_actions_offered_on_a_ticket_are_exactly_the_ones_the_api_accepts(client, world, caller, state,
                                                                              days_after):
    who = world[caller]
    for action in STAFF_ACTIONS:
        with clock.freeze(RESOLVED_AT):
            ticket = ticket_in_state(world["resident"].account_id, world["handler"], state)
        with clock.freeze(RESOLVED_AT + timedelta(days=days_after)):
            offered = client.get(f"/api/v1/staff/tickets/{ticket.id}", headers=who.headers).json["actions"]
            answer = _attempt(client, who, ticket.id, action, world)
        assert (action in offered) == (answer.status_code < 300), (action, offered, answer.json)


def test_a_closed_ticket_offers_nothing(client, world):
    ticket = ticket_in_state(world["resident"].account_id, world["handler"], "closed")
    for caller in ("handler", "supervisor"):
        assert client.get(f"/api/v1/staff/tickets/{ticket.id}", headers=world[caller].headers).json["actions"] == []


@pytest.mark.parametrize("body", [{"action": "resolve"}, {"action": "resolve", "note": "   "}])
def test_resolving_without_a_note_is_refused_and_leaves_the_ticket_in_progress(client, world, body):
    ticket = ticket_in_state(world["resident"].account_id, world["handler"], "in_progress")
    base = f"/api/v1/staff/tickets/{ticket.id}"
    refused = client.post(f"{base}/transitions", headers=world["handler"].headers, json=body)
    assert (refused.status_code, refused.json["code"]) == (422, "resolution_note_required")
    assert refused.json["message"] == "办结工单须填写办理结果说明"
    assert client.get(base, headers=world["handler"].headers).json["state"] == "in_progress"
    resolved = client.post(f"{base}/transitions", headers=world["handler"].headers,
                           json={"action": "resolve", "note": "已告知所需材料"})
    assert resolved.json["state"] == "resolved"
    [event] = [e for e in client.get(f"{base}/events", headers=world["handler"].headers).json if e["kind"] == "resolve"]
    assert event["details"]["note"] == "已告知所需材料"


def test_every_event_in_a_tickets_log_has_a_chinese_label(client, world):
    ticket = ticket_in_state(world["resident"].account_id, world["handler"], "awaiting_requester")
    client.post(f"/api/v1/tickets/{ticket.id}/messages", headers=world["resident"].headers,
                json={"body": "明年三月到期"})
    for url, headers in ((f"/api/v1/staff/tickets/{ticket.id}/events", world["handler"].headers),
                         (f"/api/v1/tickets/{ticket.id}/events", world["resident"].headers)):
        events = client.get(url, headers=headers).json
        assert {e["kind"] for e in events} >= {"opened", "claim", "start", "await_requester", "resume", "notice"}
        assert all(e["label"] == EVENT_LABELS[e["kind"]] and not e["label"].isascii() for e in events)


def test_the_queue_lists_open_work_first_by_deadline_and_finished_tickets_after(client, world):
    resident, handler = world["resident"], world["handler"]
    with clock.freeze(RESOLVED_AT - timedelta(days=30)):
        old_closed = ticket_in_state(resident.account_id, handler, "closed")
    with clock.freeze(RESOLVED_AT - timedelta(days=20)):
        old_resolved = ticket_in_state(resident.account_id, handler, "resolved")
    with clock.freeze(RESOLVED_AT - timedelta(days=2)):
        working = ticket_in_state(resident.account_id, handler, "in_progress")
    with clock.freeze(RESOLVED_AT):
        fresh = ticket_in_state(resident.account_id, handler, "new")
        queue = client.get("/api/v1/staff/tickets", headers=handler.headers).json
    assert [t["id"] for t in queue] == [working.id, fresh.id, old_resolved.id, old_closed.id]
