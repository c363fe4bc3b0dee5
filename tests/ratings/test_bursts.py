"""The burst rule: a burst of ratings of one service from one account or one address is held for review
(not counted, no rectification) until an admin counts or discards it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app import clock
from app.opendata import publish
from app.ratings.bursts import ACCOUNT_LIMIT, ADDRESS_LIMIT
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, service_id
from tests.support.tickets import ticket_in_state

NOON = datetime(2026, 11, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _rate(client, resident, score=5, service="gd-gat-sfz-hl", address="203.0.113.7", *, handler):
    # Only someone who used the service may rate it: each rating here follows a resolved ticket of it.
    ticket_in_state(resident.account_id, handler, "resolved", service=service)
    answer = client.post(f"/api/v1/services/{service_id(service)}/ratings", headers=resident.headers,
                         json={"score": score}, environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 201, answer.json
    return answer.json


def _department_count(client, supervisor):
    rows = client.get("/api/v1/staff/ratings/aggregates?group_by=department", headers=supervisor.headers).json
    return sum(r["count"] for r in rows)


def test_a_third_rating_of_one_service_from_one_account_in_a_day_waits_for_review(client, world):
    resident, agent, supervisor = world
    with clock.freeze(NOON):
        first = [_rate(client, resident, address=f"198.51.100.{i}", handler=agent) for i in range(ACCOUNT_LIMIT)]
        held = _rate(client, resident, score=1, address="198.51.100.99", handler=agent)
        other_service = _rate(client, resident, service="gd-gat-sfz-bl", handler=agent)
    assert [r["held_for_review"] for r in first] == [False] * ACCOUNT_LIMIT
    assert held["held_for_review"] and not other_service["held_for_review"]
    assert _department_count(client, supervisor) == ACCOUNT_LIMIT + 1
    assert client.get("/api/v1/staff/rectifications", headers=supervisor.headers).json == []  # no case yet
    with clock.freeze(NOON + timedelta(hours=24, minutes=1)):
        assert not _rate(client, resident, handler=agent)["held_for_review"]  # a day later, counted again


def test_the_sixth_rating_of_one_service_from_one_address_in_a_day_waits_for_review(client, world):
    _resident, agent, _supervisor = world
    neighbours = [create_resident(level=3) for _ in range(ADDRESS_LIMIT + 2)]
    with clock.freeze(NOON):
        same_address = [_rate(client, r, handler=agent) for r in neighbours[:-1]]
        elsewhere = _rate(client, neighbours[-1], address="192.0.2.1", handler=agent)
    assert [r["held_for_review"] for r in same_address] == [False] * ADDRESS_LIMIT + [True]
    assert not elsewhere["held_for_review"]
    with clock.freeze(NOON + timedelta(hours=1)):
        publish.publish_all()
        [row] = client.get("/api/v1/open-data/department-quality-monthly/rows").json
    assert row["ratings"] == ADDRESS_LIMIT + 1  # the held one is not in the published figures


def test_an_admin_counts_or_discards_a_held_rating_and_no_one_else_may(client, world):
    resident, agent, supervisor = world
    admin = create_staff_member(role="admin")
    with clock.freeze(NOON):
        for _ in range(ACCOUNT_LIMIT):
            _rate(client, resident, handler=agent)
        bad = _rate(client, resident, score=1, handler=agent)
        worse = _rate(client, resident, score=2, handler=agent)
    holds = client.get("/api/v1/staff/rating-holds", headers=admin.headers)
    assert [h["id"] for h in holds.json] == [bad["id"], worse["id"]]
    assert client.get("/api/v1/staff/rating-holds", headers=supervisor.headers).status_code == 403
    assert client.get("/api/v1/staff/rating-holds", headers=resident.headers).status_code == 401
    assert client.put(f"/api/v1/staff/rating-holds/{bad['id']}", headers=supervisor.headers,
                      json={"decision": "count"}).status_code == 403

    counted = client.put(f"/api/v1/staff/rating-holds/{bad['id']}", headers=admin.headers, json={"decision": "count"})
    assert counted.status_code == 200 and not counted.json["held_for_review"] and not counted.json["excluded"]
    [case] = client.get("/api/v1/staff/rectifications", headers=supervisor.headers).json
    assert case["rating"]["id"] == bad["id"]  # the bad rating's rectification opens once it counts
    discarded = client.put(f"/api/v1/staff/rating-holds/{worse['id']}", headers=admin.headers,
                           json={"decision": "discard"})
    assert discarded.json["excluded"]
    assert _department_count(client, supervisor) == ACCOUNT_LIMIT + 1
    again = client.put(f"/api/v1/staff/rating-holds/{worse['id']}", headers=admin.headers, json={"decision": "count"})
    assert again.status_code == 409 and again.json["code"] == "rating_not_held"
    assert client.get("/api/v1/staff/rating-holds", headers=admin.headers).json == []
