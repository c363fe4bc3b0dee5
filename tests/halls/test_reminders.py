"""The day before an appointment its holder is reminded, once however often the job runs; a booking
still open after its day is recorded as a no-show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.db import session
from app.halls.reminders import appointment_reminders, record_no_shows, remind_tomorrow
from app.push.models import OutboxEvent
from tests.support.halls import ID_CARD, TIANHE, at_local, next_working_day, slot
from tests.support.jobs import run_queued_jobs
from tests.support.residents import L2, create_resident
from tests.support.staff import load_demo_catalogue
from tests.support.stores import wait_until


def _book(client, resident, starts_at):
    response = client.post("/api/v1/me/appointments", headers=resident.headers, json={
        "hall_code": TIANHE, "service_code": ID_CARD, "starts_at": starts_at.isoformat()})
    assert response.status_code == 201, response.json
    return response.json


def _reminders(client, resident) -> list[dict]:
    inbox = client.get("/api/v1/me/notifications?page_size=50", headers=resident.headers).json
    return [n for n in inbox if n["title"] == "明天有预约办理"]


def _reminders_once_pushed(client, resident) -> list[dict]:
    """The resident's reminders once every outbox event has been fired (the worker may still be on it)."""
    def fired() -> bool:
        session().rollback()
        return session().scalar(select(func.count()).select_from(OutboxEvent)
                                .where(OutboxEvent.processed_at.is_(None))) == 0

    wait_until(fired, what="the outbox events to fire")
    return _reminders(client, resident)


def test_the_day_before_reminder_arrives_once_when_the_job_runs_twice(client):
    load_demo_catalogue()
    resident, later = create_resident(L2), create_resident(L2)
    day = next_working_day(clock.today() + timedelta(days=1))  # at least two days on
    appointment = _book(client, resident, slot(day, 3))
    _book(client, later, slot(next_working_day(day), 0))
    with clock.freeze(at_local(day - timedelta(days=1), 9)):
        assert remind_tomorrow() == 1
        assert remind_tomorrow() == 0
        appointment_reminders()  # the scheduled actor itself, run as the worker would
        run_queued_jobs()
    [reminder] = _reminders_once_pushed(client, resident)
    assert f"{day.month}月{day.day}日 {slot(day, 3).astimezone(clock.local_tz()):%H:%M}" in reminder["body"]
    assert "广州市天河区政务服务中心" in reminder["body"] and "居民身份证换领" in reminder["body"]
    assert reminder["page"] == f"pages/appointments/detail?id={appointment['id']}"
    assert _reminders(client, later) == []


def test_a_cancelled_appointment_is_not_reminded_and_a_rescheduled_one_is_reminded_for_its_new_day(client):
    load_demo_catalogue()
    resident, cancelling = create_resident(L2), create_resident(L2)
    day = next_working_day(clock.today() + timedelta(days=1))
    later = next_working_day(day)
    moved = _book(client, resident, slot(day, 0))
    gone = _book(client, cancelling, slot(day, 1))
    client.delete(f"/api/v1/me/appointments/{gone['id']}", headers=cancelling.headers)
    with clock.freeze(at_local(day - timedelta(days=1), 9)):
        assert remind_tomorrow() == 1
    client.patch(f"/api/v1/me/appointments/{moved['id']}", headers=resident.headers,
                 json={"starts_at": slot(later, 0).isoformat()})
    with clock.freeze(at_local(later - timedelta(days=1), 9)):
        assert remind_tomorrow() == 1
        run_queued_jobs()
    assert len(_reminders_once_pushed(client, resident)) == 2
    assert _reminders(client, cancelling) == []


def test_a_booking_still_open_after_its_day_is_recorded_as_a_no_show(client):
    load_demo_catalogue()
    resident = create_resident(L2)
    day = next_working_day()
    appointment = _book(client, resident, slot(day, 0))
    with clock.freeze(at_local(day, 23)):
        assert record_no_shows() == 0  # the day is not over yet
    with clock.freeze(at_local(day + timedelta(days=1), 0, 30)):
        assert record_no_shows() == 1
        assert record_no_shows() == 0
    shown = client.get(f"/api/v1/me/appointments/{appointment['id']}", headers=resident.headers).json
    assert shown["status"] == "no_show"
