"""A ticket's life: opened by a resident, worked by staff, resolved, closed or reopened."""

from datetime import UTC, datetime, timedelta

import pytest

from app import clock
from app.staff.labels import staff_label
from app.tickets import lifecycle
from app.tickets.errors import IllegalTransition
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id
from tests.support.tickets import ticket_in_state


@pytest.fixture
def world():
    load_demo_catalogue()
    resident = create_resident(level=3, name="陈小明")
    agent = create_staff_member(display_name="公安厅工作人员 001号")
    supervisor = create_staff_member(role="supervisor", display_name="公安厅值班主管")
    return resident, agent, supervisor


def test_a_ticket_goes_from_opening_to_closing_and_every_step_is_in_its_log(client, world):
    resident, agent, _ = world
    opened = client.post("/api/v1/tickets", headers=resident.headers, json={
        "kind": "consultation", "service_id": service_id("gd-gat-sfz-hl"), "title": "身份证换领需要带什么材料",
        "description": "身份证明年到期，想提前换领。", "contact_preference": "message"})
    assert opened.status_code == 201 and opened.json["state"] == "new"
    ticket_id = opened.json["id"]
    queue = client.get("/api/v1/staff/tickets?state=new&assignee=none", headers=agent.headers)
    assert [t["id"] for t in queue.json] == [ticket_id]
    assert queue.headers["X-Pagination"]

    base = f"/api/v1/staff/tickets/{ticket_id}"
    assert client.post(f"{base}/claim", headers=agent.headers).json["state"] == "assigned"
    assert client.post(f"{base}/transitions", headers=agent.headers, json={"action": "start"}).json["state"] \
        == "in_progress"
    reply = client.post(f"{base}/messages", headers=agent.headers, json={"body": "请问身份证何时到期？"})
    assert reply.status_code == 201
    client.post(f"{base}/transitions", headers=agent.headers, json={"action": "await_requester"})
    mine = f"/api/v1/tickets/{ticket_id}"
    assert client.get(mine, headers=resident.headers).json["state"] == "awaiting_requester"
    client.post(f"{mine}/messages", headers=resident.headers, json={"body": "明年三月到期。"})
    assert client.get(mine, headers=resident.headers).json["state"] == "in_progress"
    resolved = client.post(f"{base}/transitions", headers=agent.headers,
                           json={"action": "resolve", "note": "已告知换领所需材料"})
    assert resolved.json["state"] == "resolved" and resolved.json["reopen_until"]
    closed = client.post(f"{mine}/close", headers=resident.headers)
    assert closed.status_code == 200 and closed.json["state"] == "closed"

    events = client.get(f"{mine}/events", headers=resident.headers).json
    steps = [(e["kind"], e["from_state"], e["to_state"]) for e in events if e["kind"] != "notice"]
    assert steps == [("opened", None, "new"), ("claim", "new", "assigned"), ("start", "assigned", "in_progress"),
                     ("await_requester", "in_progress", "awaiting_requester"),
                     ("resume", "awaiting_requester", "in_progress"), ("resolve", "in_progress", "resolved"),
                     ("close", "resolved", "closed")]
    # The requester was told of the reply, the request for information and the resolution.
    assert [e["details"]["reason"] for e in events if e["kind"] == "notice"] == ["reply", "await_requester",
                                                                                  "resolve"]


def test_the_requester_sees_staff_by_department_and_number_never_by_name(client, world):
    resident, agent, _ = world
    ticket = ticket_in_state(resident.account_id, agent, "in_progress")
    client.post(f"/api/v1/staff/tickets/{ticket.id}/messages", headers=agent.headers, json={"body": "您好"})
    thread = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=resident.headers)
    shown = staff_label("广东省公安厅", agent.id)  # as in 谁看了我的数据 and the 办事 timeline
    assert thread.json[0]["author_name"] == shown
    seen = thread.get_data(as_text=True) + client.get(f"/api/v1/tickets/{ticket.id}/events",
                                                      headers=resident.headers).get_data(as_text=True)
    seen += client.get(f"/api/v1/tickets/{ticket.id}", headers=resident.headers).get_data(as_text=True)
    assert agent.username not in seen and agent.display_name not in seen and shown in seen
    staff_thread = client.get(f"/api/v1/staff/tickets/{ticket.id}/messages", headers=agent.headers)
    assert staff_thread.json[0]["author_name"] == agent.display_name  # colleagues by display name


# Every staff action from every state it may not start from (requester close is covered by "close").
ILLEGAL = [
    ("claim", s) for s in ("assigned", "in_progress", "awaiting_requester", "resolved", "closed")
] + [
    ("start", s) for s in ("new", "in_progress", "awaiting_requester", "resolved", "closed")
] + [
    ("await_requester", s) for s in ("new", "assigned", "awaiting_requester", "resolved", "closed")
] + [
    ("resume", s) for s in ("new", "assigned", "in_progress", "resolved", "closed")
] + [
    ("resolve", s) for s in ("new", "assigned", "awaiting_requester", "resolved", "closed")
] + [
    ("close", s) for s in ("new", "assigned", "in_progress", "awaiting_requester", "closed")
] + [
    ("reopen", s) for s in ("new", "assigned", "in_progress", "awaiting_requester", "closed")
] + [
    ("transfer", s) for s in ("resolved", "closed")
] + [
    ("assign", s) for s in ("in_progress", "awaiting_requester", "resolved", "closed")
]


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_an_action_not_allowed_from_the_current_state_is_refused(world, action, state):
    resident, _, supervisor = world
    ticket = ticket_in_state(resident.account_id, supervisor, state)
    principal = supervisor.principal
    calls = {
        "claim": lambda: lifecycle.claim(principal, ticket.id),
        "reopen": lambda: lifecycle.reopen(resident.account_id, ticket.id, "没解决"),
        "transfer": lambda: lifecycle.transfer(principal, ticket.id, _other_department(), "转办"),
        "assign": lambda: lifecycle.assign(principal, ticket.id, supervisor.id),
    }
    call = calls.get(action, lambda: lifecycle.step(principal, ticket.id, action))
    if action == "close" and state != "closed":
        call = lambda: lifecycle.close_by_requester(resident.account_id, ticket.id)  # noqa: E731
    with pytest.raises(IllegalTransition) as refused:
        call()
    assert refused.value.status == 409
    assert refused.value.details == {"action": action, "from": state,
                                     "to": lifecycle.TRANSITIONS[action][1]}


def _other_department():
    from tests.support.staff import department_id

    return department_id("gd-rst")


def test_an_illegal_transition_answers_409_illegal_transition_with_from_and_to(client, world):
    resident, agent, _ = world
    ticket = ticket_in_state(resident.account_id, agent, "assigned")
    response = client.post(f"/api/v1/staff/tickets/{ticket.id}/transitions", headers=agent.headers,
                           json={"action": "resolve"})
    assert response.status_code == 409
    assert response.json["code"] == "illegal_transition"
    assert response.json["details"] == {"action": "resolve", "from": "assigned", "to": "resolved"}


RESOLVED_AT = datetime(2025, 10, 9, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("days_later", "allowed"), [(7, True), (8, False)])
def test_a_resolved_ticket_can_be_reopened_for_seven_days(client, world, days_later, allowed):
    resident, agent, _ = world
    with clock.freeze(RESOLVED_AT):
        ticket = ticket_in_state(resident.account_id, agent, "resolved")
    with clock.freeze(RESOLVED_AT + timedelta(days=days_later)):
        response = client.post(f"/api/v1/tickets/{ticket.id}/reopen", headers=resident.headers,
                               json={"reason": "按答复办理后仍无法换领"})
    if allowed:
        assert response.status_code == 200 and response.json["state"] == "in_progress"
    else:
        assert response.status_code == 409 and response.json["code"] == "reopen_window_closed"


def test_staff_close_a_resolved_ticket_only_after_the_reopen_window(client, world):
    resident, agent, _ = world
    with clock.freeze(RESOLVED_AT):
        ticket = ticket_in_state(resident.account_id, agent, "resolved")
    url = f"/api/v1/staff/tickets/{ticket.id}/transitions"
    with clock.freeze(RESOLVED_AT + timedelta(days=6)):
        assert client.post(url, headers=agent.headers, json={"action": "close"}).json["code"] == "reopen_window_open"
    with clock.freeze(RESOLVED_AT + timedelta(days=7, seconds=1)):
        assert client.post(url, headers=agent.headers, json={"action": "close"}).json["state"] == "closed"


def test_only_the_assignee_or_a_supervisor_works_an_assigned_ticket(client, world):
    resident, agent, supervisor = world
    colleague = create_staff_member()
    ticket = ticket_in_state(resident.account_id, agent, "assigned")
    url = f"/api/v1/staff/tickets/{ticket.id}/transitions"
    assert client.post(url, headers=colleague.headers, json={"action": "start"}).json["code"] == "not_assignee"
    assert client.post(url, headers=supervisor.headers, json={"action": "start"}).status_code == 200
    reassigned = client.put(f"/api/v1/staff/tickets/{ticket.id}/assignment", headers=colleague.headers,
                            json={"staff_id": colleague.id})
    assert reassigned.status_code == 403


def test_an_agent_who_is_not_the_assignee_cannot_transfer_a_colleagues_ticket(client, world):
    resident, agent, supervisor = world
    colleague = create_staff_member(display_name="公安厅工作人员 002号")
    ticket = ticket_in_state(resident.account_id, agent, "in_progress")
    url = f"/api/v1/staff/tickets/{ticket.id}/transfer"
    body = {"department_id": _other_department(), "reason": "属社保卡业务"}

    taken = client.post(url, headers=colleague.headers, json=body)
    assert (taken.status_code, taken.json["code"]) == (403, "not_assignee")
    mine = client.get(f"/api/v1/staff/tickets/{ticket.id}", headers=agent.headers).json
    assert (mine["state"], mine["assignee_id"]) == ("in_progress", agent.id)
    assert client.post(url, headers=supervisor.headers, json=body).status_code == 200


def test_an_unassigned_ticket_may_be_sent_on_by_anyone_of_its_department(client, world):
    resident, agent, _ = world
    ticket = ticket_in_state(resident.account_id, agent, "new")
    response = client.post(f"/api/v1/staff/tickets/{ticket.id}/transfer", headers=agent.headers,
                           json={"department_id": _other_department(), "reason": "不属本部门"})
    assert response.status_code == 200, response.json
