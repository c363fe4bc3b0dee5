"""Deadlines in working days across National Day and adjusted working weekends (2025, 2026);
estimated beyond the calendar's data; overdue flags and the supervisor's SLA watch."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import clock
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id

SH = ZoneInfo("Asia/Shanghai")


def _at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=SH)


def _end_of(d: date) -> str:
    """Deadlines fall at the end of the local day: 23:59:59.999999 +08:00 is 15:59:59.999999Z."""
    return f"{d.isoformat()}T15:59:59.999999+00:00"


@pytest.fixture
def resident():
    load_demo_catalogue()
    return create_resident(level=3)


def _open(client, resident, kind, opened_at):
    with clock.freeze(opened_at):
        response = client.post("/api/v1/tickets", headers=resident.headers, json={
            "kind": kind, "service_id": service_id("gd-gat-sfz-hl"), "title": "咨询", "description": "咨询"})
    assert response.status_code == 201
    return response.json


@pytest.mark.parametrize(("opened", "kind", "first_response", "resolution"), [
    # 2025: 1–8 October off (National Day + Mid-Autumn); Sunday 28 Sep and Saturday 11 Oct worked.
    (_at(2025, 9, 30), "consultation", date(2025, 10, 9), date(2025, 10, 10)),
    (_at(2025, 9, 30), "help", date(2025, 10, 9), date(2025, 10, 21)),  # 9,10,11,13–17,20,21
    (_at(2025, 9, 30), "complaint", date(2025, 10, 9), date(2025, 10, 28)),  # … 22,23,24,27,28
    (_at(2025, 9, 27), "consultation", date(2025, 9, 28), date(2025, 9, 29)),  # Sat → the worked Sunday
    (_at(2025, 10, 10), "consultation", date(2025, 10, 11), date(2025, 10, 13)),  # Fri → the worked Saturday
    # 2026: 1–7 October off; Sunday 20 Sep and Saturday 10 Oct worked.
    (_at(2026, 9, 30), "consultation", date(2026, 10, 8), date(2026, 10, 9)),
    (_at(2026, 9, 30), "complaint", date(2026, 10, 8), date(2026, 10, 27)),  # 8,9,10,12–16,19–23,26,27
    (_at(2026, 9, 19), "suggestion", date(2026, 9, 20), date(2026, 10, 9)),  # 20–24 (Fri 25 off), 28–30, 8, 9
    (_at(2026, 10, 9), "consultation", date(2026, 10, 10), date(2026, 10, 12)),
])
def test_deadlines_count_holidays_and_adjusted_working_days(client, resident, opened, kind, first_response,
                                                            resolution):
    ticket = _open(client, resident, kind, opened)
    assert ticket["first_response_due"] == _end_of(first_response)
    assert ticket["resolution_due"] == _end_of(resolution)
    assert ticket["sla_estimated"] is False


def test_a_deadline_in_a_year_without_calendar_data_is_marked_estimated(client, resident):
    ticket = _open(client, resident, "consultation", _at(2027, 3, 5))  # Friday
    assert ticket["resolution_due"] == _end_of(date(2027, 3, 9))  # weekends only: Mon 8, Tue 9
    assert ticket["sla_estimated"] is True


def test_overdue_flags_and_the_supervisors_watch_follow_the_working_day_clock(client, resident):
    supervisor = create_staff_member(role="supervisor")
    ticket = _open(client, resident, "consultation", _at(2025, 9, 30))  # first response 9 Oct, resolution 10 Oct
    watch_url, ticket_url = "/api/v1/staff/sla-watch", f"/api/v1/staff/tickets/{ticket['id']}"

    with clock.freeze(_at(2025, 10, 3)):
        # The end of the next working day (9 Oct) covers the first response deadline: at risk already.
        watched = client.get(watch_url, headers=supervisor.headers).json
        assert watched[0]["at_risk"] is True and watched[0]["overdue"] is False
    with clock.freeze(_at(2025, 9, 30, 11)):
        # Opened an hour ago: the next working day is 9 Oct, the first response is due then: at risk.
        assert client.get(watch_url, headers=supervisor.headers).json[0]["at_risk"] is True
    with clock.freeze(_at(2025, 10, 10, 9)):
        flags = client.get(ticket_url, headers=supervisor.headers).json
        assert (flags["first_response_overdue"], flags["resolution_overdue"], flags["overdue"]) == (True, False, True)
        assert client.get(watch_url, headers=supervisor.headers).json[0]["overdue"] is True
        assert len(client.get("/api/v1/staff/tickets?overdue=true", headers=supervisor.headers).json) == 1
    with clock.freeze(_at(2025, 10, 11, 0) + timedelta(seconds=1)):
        flags = client.get(ticket_url, headers=supervisor.headers).json
        assert flags["resolution_overdue"] is True


def test_a_ticket_answered_in_time_is_not_overdue_and_leaves_the_watch_once_resolved(client, resident):
    supervisor = create_staff_member(role="supervisor")
    ticket = _open(client, resident, "complaint", _at(2025, 9, 30))
    url = f"/api/v1/staff/tickets/{ticket['id']}"
    with clock.freeze(_at(2025, 10, 9, 9)):
        client.post(f"{url}/claim", headers=supervisor.headers)
        client.post(f"{url}/messages", headers=supervisor.headers, json={"body": "已收到，正在核查"})
    with clock.freeze(_at(2025, 10, 20)):
        assert client.get(url, headers=supervisor.headers).json["overdue"] is False
        assert client.get("/api/v1/staff/sla-watch", headers=supervisor.headers).json == []
        assert client.get("/api/v1/staff/tickets?overdue=false", headers=supervisor.headers).json[0]["id"] \
            == ticket["id"]
    agent = create_staff_member()
    assert client.get("/api/v1/staff/sla-watch", headers=agent.headers).status_code == 403
