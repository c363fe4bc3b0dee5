"""Guangdong's rating rules: unrated after 7 days counts as 基本满意, re-rating after rectification,
and the department's appeal of a bad rating."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app import clock
from app.ratings import ratings, settlement
from app.tickets import lifecycle
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, service_id
from tests.support.tickets import ticket_in_state

SH = ZoneInfo("Asia/Shanghai")
RESOLVED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=SH)
WEEK = timedelta(days=7)


def _titles(client, resident):
    return [(n["title"], n["body"]) for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]


def _aggregate(client, staff, group_by="department"):
    rows = client.get(f"/api/v1/staff/ratings/aggregates?group_by={group_by}", headers=staff.headers).json
    return {r["label"]: (r["count"], r["average"], r["bad"], r["rectification_cases"]) for r in rows}


def _bad_rating_case(client, world, score=1):
    resident, agent, supervisor = world
    ticket = ticket_in_state(resident.account_id, agent, "resolved")
    rating = client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers, json={"score": score}).json
    [case] = client.get("/api/v1/staff/rectifications?state=open", headers=supervisor.headers).json
    return ticket, rating, case


# --- 7 days without a rating: 基本满意 -----------------------------------------------------------


def test_a_ticket_left_unrated_for_seven_days_closes_and_counts_as_satisfactory(client, world):
    resident, agent, supervisor = world
    with clock.freeze(RESOLVED_AT):
        unrated = ticket_in_state(resident.account_id, agent, "resolved")
        rated = ticket_in_state(resident.account_id, agent, "resolved")
        ratings.rate_ticket(resident.account_id, rated.id, 5)
        unrated, rated = unrated.id, rated.id  # ids outlive the worker's session clean-up
    with clock.freeze(RESOLVED_AT + WEEK - timedelta(seconds=1)):
        assert settlement.settle_batch() == 0  # the last second of the window: nothing yet
    with clock.freeze(RESOLVED_AT + WEEK + timedelta(seconds=1)):
        late = client.put(f"/api/v1/tickets/{unrated}/rating", headers=resident.headers, json={"score": 1})
        assert late.status_code == 409 and late.json["code"] == "rating_period_over"
        settlement.settle_resolved_tickets.send()
        run_queued_jobs(queues=("tickets",))  # a real worker runs the periodic job
        settlement.settle_batch()  # a second run (another worker, the next hour) changes nothing

    for ticket in (unrated, rated):
        body = client.get(f"/api/v1/tickets/{ticket}", headers=resident.headers).json
        assert body["state"] == "closed"
    default = client.get(f"/api/v1/tickets/{unrated}/rating", headers=resident.headers).json
    assert (default["score"], default["source"]) == (3, "default")
    assert client.get(f"/api/v1/tickets/{rated}/rating", headers=resident.headers).json["score"] == 5
    events = client.get(f"/api/v1/tickets/{unrated}/events", headers=resident.headers).json
    assert [(e["kind"], e["actor"]) for e in events if e["kind"] in ("close", "rated")] == [
        ("close", "系统"), ("rated", "系统")]
    notices = [body for title, body in _titles(client, resident) if title == "工单已关闭"]
    assert notices == ["您的工单办结已满7天，已自动关闭。",
                       "您的工单办结已满7天，已自动关闭。您未作评价，按规定记为“基本满意”。"]
    with clock.freeze(RESOLVED_AT + WEEK + timedelta(hours=1)):
        changed = client.put(f"/api/v1/tickets/{unrated}/rating", headers=resident.headers, json={"score": 1})
    assert changed.status_code == 409 and changed.json["code"] == "rating_period_over"
    assert _aggregate(client, supervisor) == {"广东省公安厅": (2, 4.0, 0, 0)}  # 5 and the default 3


def test_a_ticket_the_requester_closed_without_rating_also_gets_the_default(client, world):
    resident, agent, _ = world
    with clock.freeze(RESOLVED_AT):
        ticket = ticket_in_state(resident.account_id, agent, "closed")  # closed by the requester
    with clock.freeze(RESOLVED_AT + WEEK + timedelta(minutes=1)):
        assert settlement.settle_batch() == 1
        assert settlement.settle_batch() == 0
    assert client.get(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers).json["source"] == "default"
    assert [b for t, b in _titles(client, resident) if t == "工单评价期已结束"] == [
        "您的工单办结已满7天。您未作评价，按规定记为“基本满意”。"]


def test_a_reopened_ticket_counts_its_seven_days_from_the_new_resolution(client, world):
    resident, agent, _ = world
    with clock.freeze(RESOLVED_AT):
        ticket = ticket_in_state(resident.account_id, agent, "resolved")
    with clock.freeze(RESOLVED_AT + timedelta(days=6)):
        lifecycle.reopen(resident.account_id, ticket.id, "问题没有解决")
        lifecycle.step(agent.principal, ticket.id, "resolve", "已答复")
    with clock.freeze(RESOLVED_AT + WEEK + timedelta(days=1)):
        assert settlement.settle_batch() == 0
        rated = client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers, json={"score": 4})
    assert rated.status_code == 200 and rated.json["source"] == "requester"


# --- rating once more after rectification --------------------------------------------------------


def test_after_rectification_the_requester_rates_once_more_and_the_new_score_counts(client, world):
    resident, _, supervisor = world
    ticket, rating, case = _bad_rating_case(client, world, score=1)
    url = f"/api/v1/ratings/{rating['id']}/rerating"
    early = client.post(url, headers=resident.headers, json={"score": 4})
    assert early.status_code == 409 and early.json["code"] == "rerate_not_open"
    assert _aggregate(client, supervisor) == {"广东省公安厅": (1, 1.0, 1, 1)}

    client.put(f"/api/v1/staff/rectifications/{case['id']}/outcome", headers=supervisor.headers,
               json={"outcome": "已电话回访并补办"})
    assert ("您的评价已整改", "整改结果：已电话回访并补办。您可以再评价一次。") in _titles(client, resident)
    stranger = create_resident(level=3)
    assert client.post(url, headers=stranger.headers, json={"score": 5}).status_code == 404
    again = client.post(url, headers=resident.headers, json={"score": 4, "comment": "整改后解决了"})
    assert again.status_code == 200
    assert (again.json["score"], again.json["original_score"], again.json["comment"]) == (4, 1, "整改后解决了")
    used = client.post(url, headers=resident.headers, json={"score": 5})
    assert used.status_code == 409 and used.json["code"] == "rerate_used"
    assert client.get(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers).json["score"] == 4
    assert _aggregate(client, supervisor) == {"广东省公安厅": (1, 4.0, 0, 1)}  # the case still counts
    view = client.get(f"/api/v1/staff/rectifications/{case['id']}", headers=supervisor.headers).json
    assert (view["rating"]["score"], view["rating"]["original_score"]) == (4, 1)


def test_the_author_of_a_bad_service_rating_is_told_of_its_rectification(client, world):
    resident, agent, supervisor = world
    ticket_in_state(resident.account_id, agent, "resolved", service="gd-gat-jzz-qz")
    rated = client.post(f"/api/v1/services/{service_id('gd-gat-jzz-qz')}/ratings", headers=resident.headers,
                        json={"score": 2, "comment": "排队太久"}).json
    [case] = client.get("/api/v1/staff/rectifications", headers=supervisor.headers).json
    assert case["rating"]["ticket_id"] is None
    client.put(f"/api/v1/staff/rectifications/{case['id']}/outcome", headers=supervisor.headers,
               json={"outcome": "增开窗口"})
    assert ("您的评价已整改", "整改结果：增开窗口。您可以再评价一次。") in _titles(client, resident)
    again = client.post(f"/api/v1/ratings/{rated['id']}/rerating", headers=resident.headers, json={"score": 5})
    assert again.json["score"] == 5


# --- appeals ---------------------------------------------------------------------------------------


def test_an_upheld_appeal_takes_the_rating_out_of_the_figures(client, world):
    resident, agent, supervisor = world
    admin = create_staff_member(role="admin", departments=("gd-rst",))
    _, _, case = _bad_rating_case(client, world, score=1)
    url = f"/api/v1/staff/rectifications/{case['id']}"
    reason = {"reason": "评价内容与本工单无关，系误评"}
    assert client.post(f"{url}/appeal", headers=agent.headers, json=reason).status_code == 403
    other = create_staff_member(role="supervisor", departments=("gd-rst",))
    hidden = client.post(f"/api/v1/staff/rectifications/{case['id']}/appeal", headers=other.headers, json=reason)
    assert hidden.status_code == 404 and hidden.json["code"] == "not_found"
    short = client.post(f"{url}/appeal", headers=supervisor.headers, json={"reason": "误评"})
    assert short.status_code == 422

    filed = client.post(f"{url}/appeal", headers=supervisor.headers, json=reason)
    assert filed.status_code == 201 and filed.json["state"] == "appealed"
    assert filed.json["appeal"]["filed_by"] == supervisor.display_name
    twice = client.post(f"{url}/appeal", headers=supervisor.headers, json=reason)
    assert twice.status_code == 409 and twice.json["code"] == "appeal_exists"
    blocked = client.put(f"{url}/outcome", headers=supervisor.headers, json={"outcome": "已整改"})
    assert blocked.status_code == 409 and blocked.json["code"] == "appeal_pending"

    pending = client.get("/api/v1/staff/rating-appeals?pending=true", headers=admin.headers).json
    assert [c["id"] for c in pending] == [case["id"]]
    decision = f"/api/v1/staff/rating-appeals/{case['id']}/decision"
    assert client.put(decision, headers=supervisor.headers,
                      json={"decision": "upheld", "note": "x"}).status_code == 403
    bad = client.put(decision, headers=admin.headers, json={"decision": "maybe", "note": "x"})
    assert bad.status_code == 422
    upheld = client.put(decision, headers=admin.headers, json={"decision": "upheld", "note": "评价与工单无关"})
    assert upheld.status_code == 200
    assert (upheld.json["state"], upheld.json["rating"]["excluded"]) == ("voided", True)
    assert upheld.json["appeal"]["decided_by"] == admin.display_name
    repeat = client.put(decision, headers=admin.headers, json={"decision": "rejected", "note": "改判"})
    assert repeat.status_code == 409 and repeat.json["code"] == "no_pending_appeal"
    assert client.get("/api/v1/staff/rating-appeals?pending=true", headers=admin.headers).json == []
    assert _aggregate(client, supervisor) == {}  # the only rating no longer counts
    assert ("您的评价复核结果", "经复核，该评价不纳入统计：评价与工单无关") in _titles(client, resident)
    closed = client.put(f"{url}/outcome", headers=supervisor.headers, json={"outcome": "已整改"})
    assert closed.status_code == 409 and closed.json["code"] == "case_not_open"


def test_a_rejected_appeal_sends_the_case_back_to_rectification(client, world):
    _, _, supervisor = world
    admin = create_staff_member(role="admin", departments=("gd-rst",))
    _, _, case = _bad_rating_case(client, world, score=2)
    url = f"/api/v1/staff/rectifications/{case['id']}"
    client.post(f"{url}/appeal", headers=supervisor.headers, json={"reason": "申请人诉求超出职责范围"})
    rejected = client.put(f"/api/v1/staff/rating-appeals/{case['id']}/decision", headers=admin.headers,
                          json={"decision": "rejected", "note": "答复确有不足，应整改"})
    assert rejected.json["state"] == "open" and rejected.json["due"] == case["due"]
    again = client.post(f"{url}/appeal", headers=supervisor.headers, json={"reason": "再次申诉，请复核"})
    assert again.status_code == 409 and again.json["code"] == "appeal_exists"
    done = client.put(f"{url}/outcome", headers=supervisor.headers, json={"outcome": "已补充答复"})
    assert done.json["state"] == "rectified"
    assert _aggregate(client, supervisor) == {"广东省公安厅": (1, 2.0, 1, 1)}
    decided = client.get("/api/v1/staff/rating-appeals?pending=false", headers=admin.headers).json
    assert [c["appeal"]["decision"] for c in decided] == ["rejected"]


def test_an_admin_cannot_decide_an_appeal_they_filed(client, world):
    admin = create_staff_member(role="admin")  # same department: an admin outranks a supervisor
    _, _, case = _bad_rating_case(client, world, score=1)
    client.post(f"/api/v1/staff/rectifications/{case['id']}/appeal", headers=admin.headers,
                json={"reason": "恶意差评，评价人与工单无关"})
    own = client.put(f"/api/v1/staff/rating-appeals/{case['id']}/decision", headers=admin.headers,
                     json={"decision": "upheld", "note": "成立"})
    assert own.status_code == 403 and own.json["code"] == "own_appeal"
    none = client.put("/api/v1/staff/rating-appeals/999999/decision", headers=admin.headers,
                      json={"decision": "upheld", "note": "成立"})
    assert none.status_code == 404


# --- double taps ---------------------------------------------------------------------------------


def _at_once(app, requests_: list[tuple[str, str, dict, dict]]) -> list:
    """Send the requests from parallel threads, each with its own client, as close together as possible."""
    barrier = threading.Barrier(len(requests_))

    def send(method, url, headers, body):
        client = app.test_client()
        barrier.wait()
        response = client.open(url, method=method, headers=headers, json=body)
        return response.status_code, response.json

    with ThreadPoolExecutor(len(requests_)) as pool:
        return list(pool.map(lambda r: send(*r), requests_))


def test_a_double_tapped_rating_is_one_rating_and_a_double_filed_appeal_one_appeal(app, client, world):
    resident, agent, supervisor = world
    ticket = ticket_in_state(resident.account_id, agent, "resolved")
    url = f"/api/v1/tickets/{ticket.id}/rating"
    rated = _at_once(app, [("PUT", url, resident.headers, {"score": s}) for s in (1, 2, 1, 2)])
    assert [status for status, _ in rated] == [200] * 4
    assert len({body["id"] for _, body in rated}) == 1
    [case] = client.get("/api/v1/staff/rectifications", headers=supervisor.headers).json
    appeal = f"/api/v1/staff/rectifications/{case['id']}/appeal"
    filed = _at_once(app, [("POST", appeal, supervisor.headers, {"reason": "评价与工单无关，系误评"})] * 4)
    assert sorted(status for status, _ in filed) == [201, 409, 409, 409]
    assert {body["code"] for status, body in filed if status == 409} == {"appeal_exists"}
