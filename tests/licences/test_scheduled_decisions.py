"""Licence decisions dated after the day they arrive wait for their date, then apply exactly once.

The clock is frozen in Asia/Shanghai around the effective date: 23:50 the evening before, and the
first minutes of the day itself. People sign in before the clock is frozen (access tokens are
checked against the real time), intake batches are signed with the frozen time.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock, scheduler
from app.db import remove_session, session
from app.licences.schedule import apply_due_now, apply_scheduled_changes
from app.push.events import process_event
from app.push.fitting import format_date
from app.push.models import OutboxEvent
from tests.support.entities import (
    bound_entity,
    grant,
    licence_record,
    licence_status_record,
    market_authority,
    send,
    send_ok,
)
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident

NUMBER = "JY14401060004321"
CHECK = "/api/v1/licences/check"
DAY = clock.today() + timedelta(days=2)  # the effective date in most tests
SUSPENDED = "许可证已被暂扣"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` in Asia/Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.local_tz()).astimezone(UTC)


def public_status(client, number: str = NUMBER) -> str:
    return client.get(CHECK, query_string={"number": number}).json["status"]


def titles(client, resident) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]


def detail(client, company) -> dict:
    headers = company.representative.headers
    listed = client.get(f"/api/v1/entities/{company.uscc}/licences", headers=headers).json
    return client.get(f"/api/v1/entities/{company.uscc}/licences/{listed[0]['id']}", headers=headers).json


def decide(client, authority, action: str, effective_on: date, reason: str = "检查发现问题", *,
           version: int) -> dict:
    body = send(client, authority, licence_status_record(NUMBER, action, reason, version=version,
                                                         effective_on=effective_on))
    return body["results"][0]


def run_daily_job() -> None:
    """The periodic job as the scheduler enqueues it, done by a real worker (then its pushes)."""
    apply_scheduled_changes.send()
    run_queued_jobs(queues=("licences", "push"))


def summary(changes: list[dict]) -> list[tuple]:
    return [(c["from_state"], c["state"], c["effective_on"], c["status"]) for c in changes]


@pytest.fixture
def setting(client, emulator):
    """The evening before DAY: a bound company with a valid licence, and an agent who gets its notices."""
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    agent = create_resident(name="李四")
    grant(client, company, agent, ["receive_notifications"])
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        send_ok(client, authority, licence_record(NUMBER, company.uscc))
    return authority, company, agent


def test_a_suspension_dated_tomorrow_waits_then_applies_once_with_one_push_and_a_fresh_public_check(
        client, setting):
    authority, company, agent = setting
    reason = "现场检查发现严重食品安全隐患"
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        assert public_status(client) == "valid"  # now cached for today
        assert decide(client, authority, "suspend", DAY, reason, version=1)["status"] == "accepted"
        assert public_status(client) == "valid", "the licence keeps its status until the date"
        view = detail(client, company)
        assert view["status"] == "valid"
        assert summary(view["scheduled"]) == [("valid", "suspended", DAY.isoformat(), "scheduled")]
        assert view["scheduled"][0]["reason"] == reason and view["scheduled"][0]["applied_at"] is None
        assert summary(view["history"][:1]) == summary(view["scheduled"])
        listed = client.get(f"/api/v1/entities/{company.uscc}/licences", headers=company.representative.headers).json
        assert [(item["status"], summary(item["scheduled"])) for item in listed] == [
            ("valid", summary(view["scheduled"]))], "the list shows it too"
        run_daily_job()
        assert titles(client, company.representative) == titles(client, agent) == []

    with clock.freeze(at(DAY - timedelta(days=1), 23, 59)):
        assert apply_due_now() == 0
        assert public_status(client) == "valid"

    with clock.freeze(at(DAY, 0, 1)):
        assert public_status(client) == "valid", "before the job runs, cached for the new day"
        run_daily_job()
        assert public_status(client) == "suspended", "the cached answer was dropped after the commit"
        assert client.post(CHECK, json={"numbers": [NUMBER]}).json["results"][0]["status"] == "suspended"
        assert titles(client, company.representative) == titles(client, agent) == [SUSPENDED]
        note = client.get("/api/v1/me/notifications", headers=agent.headers).json[0]
        assert f"自{format_date(DAY)}起暂扣" in note["body"] and reason in note["body"]

        view = detail(client, company)
        assert view["status"] == "suspended" and view["status_reason"] == reason and view["scheduled"] == []
        assert summary(view["history"][:1]) == [("valid", "suspended", DAY.isoformat(), "applied")]
        assert datetime.fromisoformat(view["history"][0]["applied_at"]) == at(DAY, 0, 1)

    with clock.freeze(at(DAY, 0, 6)):
        run_daily_job()  # the next run, and a replay of every outbox event
        assert apply_due_now() == 0
        remove_session()
        assert [process_event(e) for e in session().scalars(select(OutboxEvent.id))] == [0]
        assert titles(client, company.representative) == titles(client, agent) == [SUSPENDED]
        assert public_status(client) == "suspended"


def test_two_workers_running_the_job_at_once_apply_each_due_change_once(client, emulator):
    numbers = [f"JY1440106000500{i}" for i in range(4)]
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    with clock.freeze(at(DAY - timedelta(days=1), 22, 0)):
        for number in numbers:
            send_ok(client, authority, licence_record(number, company.uscc),
                    licence_status_record(number, "suspend", effective_on=DAY))
    with clock.freeze(at(DAY, 0, 1)):
        start = threading.Barrier(2)
        applied: list[int] = []

        def worker() -> None:
            start.wait()
            try:
                applied.append(apply_due_now())
            finally:
                remove_session()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(applied) in ([0, 4], [1, 3], [2, 2]) and sum(applied) == 4
        run_queued_jobs()
        assert titles(client, company.representative) == [SUSPENDED] * 4
        assert [public_status(client, n) for n in numbers] == ["suspended"] * 4


def test_a_reinstatement_dated_after_a_scheduled_suspension_ends_it_on_its_date(client, setting):
    authority, company, _agent = setting
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        decide(client, authority, "suspend", DAY, "停业整改", version=1)
        assert decide(client, authority, "reinstate", DAY + timedelta(days=10), "整改合格",
                      version=2)["status"] == "accepted"
        assert summary(detail(client, company)["scheduled"]) == [
            ("valid", "suspended", DAY.isoformat(), "scheduled"),
            ("suspended", "valid", (DAY + timedelta(days=10)).isoformat(), "scheduled")]
    statuses = []
    for day in (DAY, DAY + timedelta(days=9), DAY + timedelta(days=10)):
        with clock.freeze(at(day, 0, 1)):
            run_daily_job()
            statuses.append(public_status(client))
    assert statuses == ["suspended", "suspended", "valid"]
    with clock.freeze(at(DAY + timedelta(days=10), 0, 2)):
        view = detail(client, company)
        assert view["scheduled"] == [] and view["status_reason"] == "整改合格"
        assert titles(client, company.representative) == [SUSPENDED]


def test_a_decision_taking_effect_now_supersedes_a_scheduled_one(client, setting):
    authority, company, _agent = setting
    with clock.freeze(at(DAY - timedelta(days=3), 10, 0)):
        decide(client, authority, "suspend", DAY, "停业整改", version=1)
        assert decide(client, authority, "revoke", DAY - timedelta(days=3), "吊销许可证",
                      version=2)["status"] == "accepted"
        assert public_status(client) == "revoked"
        view = detail(client, company)
        assert view["scheduled"] == []
        assert summary(view["history"][:2]) == [
            ("valid", "revoked", (DAY - timedelta(days=3)).isoformat(), "applied"),
            ("valid", "suspended", DAY.isoformat(), "superseded")]
        assert view["history"][1]["applied_at"] is None
    with clock.freeze(at(DAY, 0, 1)):
        run_daily_job()
        assert apply_due_now() == 0
        assert public_status(client) == "revoked"
        assert titles(client, company.representative) == [], "a superseded suspension never fires"


def test_a_newer_date_for_the_same_decision_replaces_the_scheduled_one(client, setting):
    authority, company, agent = setting
    earlier = DAY + timedelta(days=2)
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        decide(client, authority, "suspend", DAY + timedelta(days=5), "停业整改", version=1)
        decide(client, authority, "suspend", earlier, "停业整改（日期更正）", version=2)
        assert summary(detail(client, company)["scheduled"]) == [
            ("valid", "suspended", earlier.isoformat(), "scheduled")]
    for day in (earlier, DAY + timedelta(days=5)):
        with clock.freeze(at(day, 0, 1)):
            run_daily_job()
            assert public_status(client) == "suspended"
    with clock.freeze(at(DAY + timedelta(days=5), 0, 2)):
        notes = client.get("/api/v1/me/notifications", headers=agent.headers).json
        assert [n["title"] for n in notes] == [SUSPENDED] and format_date(earlier) in notes[0]["body"]


def test_a_reinstatement_dated_before_a_scheduled_suspension_withdraws_it(client, setting):
    authority, company, _agent = setting
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        decide(client, authority, "suspend", DAY + timedelta(days=5), "停业整改", version=1)
        result = decide(client, authority, "reinstate", DAY - timedelta(days=1), "复议撤销暂扣决定", version=2)
        assert result["status"] == "accepted"
        view = detail(client, company)
        assert view["status"] == "valid" and view["status_reason"] is None and view["scheduled"] == []
        assert summary(view["history"][:2]) == [
            ("valid", "valid", (DAY - timedelta(days=1)).isoformat(), "applied"),
            ("valid", "suspended", (DAY + timedelta(days=5)).isoformat(), "superseded")]
        assert view["history"][0]["reason"] == "复议撤销暂扣决定"
    with clock.freeze(at(DAY + timedelta(days=5), 0, 1)):
        run_daily_job()
        assert public_status(client) == "valid"
        assert titles(client, company.representative) == []


def test_a_decision_that_only_makes_sense_before_the_scheduled_one_applies_is_refused(client, setting):
    authority, company, _agent = setting
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        decide(client, authority, "suspend", DAY, "停业整改", version=1)
        refused = decide(client, authority, "suspend", DAY + timedelta(days=3), "再次暂扣", version=2)
        assert refused["status"] == "rejected" and refused["reason"] == "licence_status_transition_invalid"
        assert refused["details"] == {"from": "suspended", "action": "suspend"}, "the state on its date"
        assert refused_nothing_changed(client, company)
        reinstate_now = decide(client, authority, "reinstate", DAY - timedelta(days=1), version=3)
        assert reinstate_now["status"] == "accepted", "dated before it: the withdrawal"
        again = decide(client, authority, "reinstate", DAY - timedelta(days=1), version=4)
        assert again["reason"] == "licence_status_transition_invalid", "nothing left to withdraw"


def refused_nothing_changed(client, company) -> bool:
    view = detail(client, company)
    return view["status"] == "valid" and summary(view["scheduled"]) == [
        ("valid", "suspended", DAY.isoformat(), "scheduled")]


def test_a_decision_arriving_on_the_day_before_the_job_ran_applies_the_due_one_first(client, setting):
    authority, company, agent = setting
    with clock.freeze(at(DAY - timedelta(days=1), 23, 50)):
        decide(client, authority, "suspend", DAY, "停业整改", version=1)
    with clock.freeze(at(DAY, 0, 1)):
        assert decide(client, authority, "reinstate", DAY, "当日整改合格", version=2)["status"] == "accepted"
        run_queued_jobs()
        assert public_status(client) == "valid"
        assert summary(detail(client, company)["history"][:2]) == [
            ("suspended", "valid", DAY.isoformat(), "applied"), ("valid", "suspended", DAY.isoformat(), "applied")]
        assert titles(client, agent) == [SUSPENDED], "the suspension did take effect, for that day"
        assert apply_due_now() == 0


def test_the_scheduler_enqueues_the_job_every_five_minutes(client):
    assert "app.licences.schedule:apply_scheduled_changes" in scheduler.tick(now=2_000_000_100.0)
    assert "app.licences.schedule:apply_scheduled_changes" not in scheduler.tick(now=2_000_000_200.0)
    assert "app.licences.schedule:apply_scheduled_changes" in scheduler.tick(now=2_000_000_400.0)
