"""好差评: rating resolved tickets and services, rectification of bad ratings, and aggregates."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app import clock
from app.ratings import ratings, rectification
from app.tickets import lifecycle
from config import get_settings
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, service_id
from tests.support.tickets import ticket_in_state

SH = ZoneInfo("Asia/Shanghai")


def _at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=SH)


def test_a_bad_rating_opens_a_rectification_due_in_fifteen_working_days(client, world):
    resident, agent, supervisor = world
    with clock.freeze(_at(2025, 9, 30)):
        ticket = ticket_in_state(resident.account_id, agent, "resolved")
        rated = client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers,
                           json={"score": 2, "comment": "回复太慢", "tags": ["响应慢"]})
    assert rated.status_code == 200
    with clock.freeze(_at(2025, 10, 9)):
        cases = client.get("/api/v1/staff/rectifications?state=open", headers=supervisor.headers).json
    assert len(cases) == 1
    # 9, 10, 11 (Saturday worked), 13–17, 20–24, 27, 28 October 2025: the 15th working day is the 28th.
    assert cases[0]["due"] == "2025-10-28T15:59:59.999999+00:00"
    assert cases[0]["rating"]["score"] == 2 and cases[0]["overdue"] is False


def test_the_rectification_deadline_is_configurable(world, monkeypatch):
    resident, agent, _ = world
    monkeypatch.setattr(get_settings(), "rectification_working_days", 5)
    with clock.freeze(_at(2025, 9, 30)):
        ticket = ticket_in_state(resident.account_id, agent, "resolved")
        ratings.rate_ticket(resident.account_id, ticket.id, 1)
    [case] = rectification.cases(agent.principal).items
    assert case["due"].astimezone(SH).date() == date(2025, 10, 14)  # 9, 10, 11, 13, 14


def test_a_ticket_is_rated_once_after_resolution_and_editable_for_24_hours(client, world):
    resident, agent, _ = world
    ticket = ticket_in_state(resident.account_id, agent, "in_progress")
    url = f"/api/v1/tickets/{ticket.id}/rating"
    early = client.put(url, headers=resident.headers, json={"score": 5})
    assert early.status_code == 409 and early.json["code"] == "ticket_not_resolved"
    start = datetime(2026, 11, 2, 2, 0, tzinfo=ZoneInfo("UTC"))
    with clock.freeze(start):
        lifecycle.step(agent.principal, ticket.id, "resolve", "已答复")
        first = client.put(url, headers=resident.headers, json={"score": 4, "tags": ["态度好"]})
    with clock.freeze(start + timedelta(hours=23)):
        changed = client.put(url, headers=resident.headers, json={"score": 2, "comment": "其实没解决"})
    assert changed.json["id"] == first.json["id"] and changed.json["score"] == 2
    assert len(rectification.cases(create_staff_member(role="supervisor").principal).items) == 1  # now bad: a case
    with clock.freeze(start + timedelta(hours=24, seconds=1)):
        late = client.put(url, headers=resident.headers, json={"score": 5})
    assert late.status_code == 409 and late.json["code"] == "rating_locked"
    assert client.get(url, headers=resident.headers).json["score"] == 2


def test_changing_only_the_score_keeps_the_comment_and_tags(client, world):
    resident, agent, _ = world
    ticket = ticket_in_state(resident.account_id, agent, "resolved")
    url = f"/api/v1/tickets/{ticket.id}/rating"
    first = client.put(url, headers=resident.headers, json={"score": 3, "comment": "等了很久", "tags": ["响应慢"]})

    by_ticket = client.put(url, headers=resident.headers, json={"score": 4})
    by_id = client.put(f"/api/v1/ratings/{first.json['id']}", headers=resident.headers, json={"score": 5})

    assert (by_ticket.json["score"], by_ticket.json["comment"], by_ticket.json["tags"]) == (4, "等了很久", ["响应慢"])
    assert (by_id.json["score"], by_id.json["comment"], by_id.json["tags"]) == (5, "等了很久", ["响应慢"])
    cleared = client.put(url, headers=resident.headers, json={"score": 5, "comment": None, "tags": []})
    assert (cleared.json["comment"], cleared.json["tags"]) == (None, [])


def test_ratings_are_real_name_only(client, world):
    _, agent, _ = world
    phone_only = create_resident(level=1)
    ticket = ticket_in_state(phone_only.account_id, agent, "resolved")
    refused = client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=phone_only.headers, json={"score": 5})
    assert refused.status_code == 403 and refused.json["code"] == "level_required"


def test_a_supervisor_follows_up_and_the_requester_is_told_the_outcome(client, world):
    resident, agent, supervisor = world
    ticket = ticket_in_state(resident.account_id, agent, "resolved")
    client.put(f"/api/v1/tickets/{ticket.id}/rating", headers=resident.headers, json={"score": 1})
    [case] = client.get("/api/v1/staff/rectifications", headers=supervisor.headers).json
    url = f"/api/v1/staff/rectifications/{case['id']}"
    assert client.get(url, headers=agent.headers).status_code == 403
    followed = client.post(f"{url}/follow-ups", headers=supervisor.headers, json={"note": "已约谈承办人"})
    assert followed.status_code == 201 and followed.json["follow_ups"][0]["note"] == "已约谈承办人"
    done = client.put(f"{url}/outcome", headers=supervisor.headers, json={"outcome": "已补充办理指引并回访"})
    assert done.json["state"] == "rectified" and done.json["outcome_at"]
    again = client.put(f"{url}/outcome", headers=supervisor.headers, json={"outcome": "再次"})
    assert again.status_code == 409 and again.json["code"] == "case_already_rectified"
    events = client.get(f"/api/v1/tickets/{ticket.id}/events", headers=resident.headers).json
    notice = [e for e in events if e["kind"] == "notice"][-1]
    assert notice["details"]["reason"] == "rectification" and "已补充办理指引并回访" in notice["details"]["body"]
    other = create_staff_member(role="supervisor", departments=("gd-rst",))
    assert client.get(url, headers=other.headers).status_code == 404


def test_a_service_can_be_rated_only_by_someone_who_used_it_and_once_per_case(client, world):
    resident, agent, _ = world
    url = f"/api/v1/services/{service_id('gd-gat-jzz-qz')}/ratings"
    never_used = client.post(url, headers=resident.headers, json={"score": 1})
    assert never_used.status_code == 403 and never_used.json["code"] == "rating_without_case"
    ticket_in_state(resident.account_id, agent, "resolved", service="gd-gat-jzz-qz")
    rated = client.post(url, headers=resident.headers, json={"score": 5, "comment": "窗口办理很快"})
    assert rated.status_code == 201 and rated.json["ticket_id"] is None
    # One case, one rating: twenty 1-star ratings of a service used once are refused after the first.
    twice = client.post(url, headers=resident.headers, json={"score": 1})
    assert twice.status_code == 409 and twice.json["code"] == "service_already_rated"
    edited = client.put(f"/api/v1/ratings/{rated.json['id']}", headers=resident.headers, json={"score": 4})
    assert edited.json["score"] == 4
    stranger = create_resident(level=3)
    assert client.put(f"/api/v1/ratings/{rated.json['id']}", headers=stranger.headers,
                      json={"score": 1}).status_code == 404


def test_aggregates_by_staff_service_month_and_department(client, world):
    resident, agent_a, supervisor = world
    agent_b = create_staff_member(display_name="公安厅工作人员 002号")
    rid = resident.account_id
    with clock.freeze(_at(2025, 10, 9)):  # rectifications due 29 Oct (10, 11, 13–17, 20–24, 27–29)
        t1 = ticket_in_state(rid, agent_a, "resolved", service="gd-gat-sfz-hl")
        t2 = ticket_in_state(rid, agent_a, "resolved", service="gd-gat-sfz-hl")
        t3 = ticket_in_state(rid, agent_b, "resolved", service="gd-gat-wfjl")
        ratings.rate_ticket(rid, t1.id, 5)
        ratings.rate_ticket(rid, t2.id, 2)
        ratings.rate_ticket(rid, t3.id, 1)
    case_a, case_b = sorted(rectification.cases(supervisor.principal).items, key=lambda c: c["rating"]["ticket_id"])
    assert case_a["due"].astimezone(SH).date() == date(2025, 10, 29)
    with clock.freeze(_at(2025, 10, 20)):
        rectification.record_outcome(supervisor.principal, case_a["id"], "已整改")  # on time
    with clock.freeze(_at(2025, 10, 30)):
        rectification.record_outcome(supervisor.principal, case_b["id"], "已整改")  # a day late
    with clock.freeze(_at(2025, 11, 3)):
        t4 = ticket_in_state(rid, agent_b, "resolved", service="gd-gat-wfjl")
        ratings.rate_ticket(rid, t4.id, 4)
        ratings.rate_service(rid, service_id("gd-gat-sfz-hl"), 3)

    def table(query):
        rows = client.get(f"/api/v1/staff/ratings/aggregates?{query}", headers=supervisor.headers).json
        return {r["label"]: (r["count"], r["average"], r["bad"], r["bad_share"], r["rectification_cases"],
                             r["rectified_on_time"], r["rectified_on_time_share"]) for r in rows}

    assert table("group_by=staff") == {
        "公安厅工作人员 001号": (2, 3.5, 1, 0.5, 1, 1, 1.0),
        "公安厅工作人员 002号": (2, 2.5, 1, 0.5, 1, 0, 0.0),
        None: (1, 3.0, 0, 0.0, 0, 0, None),  # the service rating has no staff member
    }
    assert table("group_by=service") == {
        "居民身份证换领": (3, 3.33, 1, 0.3333, 1, 1, 1.0),  # 5, 2, 3
        "无犯罪记录证明开具": (2, 2.5, 1, 0.5, 1, 0, 0.0),  # 1, 4
    }
    assert table("group_by=month") == {
        "2025-10": (3, 2.67, 2, 0.6667, 2, 1, 0.5),
        "2025-11": (2, 3.5, 0, 0.0, 0, 0, None),
    }
    assert table("group_by=department") == {"广东省公安厅": (5, 3.0, 2, 0.4, 2, 1, 0.5)}
    assert table("group_by=department&month=2025-11") == {"广东省公安厅": (2, 3.5, 0, 0.0, 0, 0, None)}
    other = create_staff_member(role="supervisor", departments=("gd-rst",))
    assert client.get("/api/v1/staff/ratings/aggregates?group_by=department", headers=other.headers).json == []
    assert client.get("/api/v1/staff/ratings/aggregates?group_by=department",
                      headers=agent_a.headers).status_code == 403
