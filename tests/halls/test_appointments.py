"""Appointments (预约): book, see, reschedule and cancel a slot; working days and opening hours only;
the last seat goes to exactly one of many at once; the hall sees its day and records who came."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app import clock
from app.db import session
from app.halls.models import Appointment, HallSlot
from app.staff.models import AGENT
from tests.support.halls import (
    FUTIAN,
    ID_CARD,
    ID_CARD_REISSUE,
    TIANHE,
    at_local,
    hall_officer,
    next_closed_day,
    next_working_day,
    slot,
)
from tests.support.residents import L1, L2, create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue

MINE = "/api/v1/me/appointments"


def book(client, resident, starts_at: datetime, service: str = ID_CARD, hall: str = TIANHE):
    return client.post(MINE, headers=resident.headers,
                       json={"hall_code": hall, "service_code": service, "starts_at": starts_at.isoformat()})


def seats_left(client, day, starts_at, service=ID_CARD):
    slots = client.get(f"/api/v1/halls/{TIANHE}/slots?service={service}&date={day.isoformat()}").json
    return next(s["seats_left"] for s in slots if datetime.fromisoformat(s["starts_at"]) == starts_at)


def test_a_resident_books_sees_reschedules_and_cancels_a_slot(client):
    load_demo_catalogue()
    resident = create_resident(L2)
    halls = client.get(f"/api/v1/halls?service={ID_CARD_REISSUE}").json
    assert [h["code"] for h in halls] == [TIANHE]
    day = next_working_day()
    first, second = slot(day, 0), slot(day, 1)
    assert seats_left(client, day, first) == 2

    booked = book(client, resident, first)
    assert booked.status_code == 201, booked.json
    assert booked.json["status"] == "booked" and booked.json["service_name"] == "居民身份证换领"
    assert datetime.fromisoformat(booked.json["starts_at"]) == first
    assert seats_left(client, day, first) == 1
    assert [a["id"] for a in client.get(MINE, headers=resident.headers).json] == [booked.json["id"]]
    again = book(client, resident, second)
    assert (again.status_code, again.json["code"]) == (409, "appointment_exists")

    item = f"{MINE}/{booked.json['id']}"
    moved = client.patch(item, headers=resident.headers, json={"starts_at": second.isoformat()})
    assert moved.status_code == 200 and datetime.fromisoformat(moved.json["starts_at"]) == second
    assert (seats_left(client, day, first), seats_left(client, day, second)) == (2, 1)

    assert client.delete(item, headers=resident.headers).status_code == 204
    assert client.get(item, headers=resident.headers).json["status"] == "cancelled"
    assert seats_left(client, day, second) == 2
    closed = client.delete(item, headers=resident.headers)
    assert (closed.status_code, closed.json["code"]) == (409, "appointment_closed")
    assert client.patch(item, headers=resident.headers,
                        json={"starts_at": first.isoformat()}).json["code"] == "appointment_closed"


def test_a_full_slot_is_refused_and_a_reschedule_into_it_leaves_the_booking_as_it_was(client):
    load_demo_catalogue()
    day = next_working_day()
    first, second = slot(day, 0), slot(day, 1)
    assert book(client, create_resident(L2), first, ID_CARD_REISSUE).status_code == 201  # its one counter
    full = book(client, create_resident(L2), first, ID_CARD_REISSUE)
    assert (full.status_code, full.json["code"]) == (409, "slot_full")
    mover = create_resident(L2)
    mine = book(client, mover, second, ID_CARD_REISSUE).json
    refused = client.patch(f"{MINE}/{mine['id']}", headers=mover.headers, json={"starts_at": first.isoformat()})
    assert refused.json["code"] == "slot_full"
    assert datetime.fromisoformat(client.get(f"{MINE}/{mine['id']}", headers=mover.headers).json["starts_at"]) == second
    assert seats_left(client, day, second, ID_CARD_REISSUE) == 0


def test_a_booking_on_a_closed_day_or_outside_opening_hours_is_refused(client):
    load_demo_catalogue()
    resident = create_resident(L2)
    weekend = next_closed_day()
    closed = book(client, resident, at_local(weekend, 9))
    assert (closed.status_code, closed.json["code"]) == (422, "hall_closed")
    assert client.get(f"/api/v1/halls/{TIANHE}/slots?service={ID_CARD}&date={weekend.isoformat()}").json == []
    day = next_working_day()
    for hour, minute in ((8, 30), (12, 30), (17, 30), (9, 10), (18, 0)):
        refused = book(client, resident, at_local(day, hour, minute))
        assert (refused.status_code, refused.json["code"]) == (422, "outside_opening_hours"), (hour, minute)
    past = book(client, resident, slot(next_working_day(clock.today() - timedelta(days=10))))
    assert past.json["code"] == "slot_in_past"
    far = book(client, resident, slot(next_working_day(clock.today() + timedelta(days=20))))
    assert far.json["code"] == "slot_too_far_ahead"
    assert book(client, resident, slot(day), "gd-rst-sbk-bb").json["code"] == "service_not_at_hall"
    assert book(client, resident, slot(day), hall="nowhere").json["code"] == "hall_not_found"
    naive = client.post(MINE, headers=resident.headers, json={"hall_code": TIANHE, "service_code": ID_CARD,
                                                               "starts_at": slot(day).replace(tzinfo=None).isoformat()})
    assert naive.status_code == 422
    assert session().scalar(select(func.count()).select_from(Appointment)) == 0


def test_a_booking_on_a_public_holiday_is_refused(client):
    load_demo_catalogue()
    resident = create_resident(L2)
    holiday = next_closed_day(weekday_only=True)  # a weekday the calendar closes: 元旦, 春节, 国庆...
    with clock.freeze(at_local(holiday - timedelta(days=3), 10)):
        refused = book(client, resident, at_local(holiday, 9))
        assert (refused.status_code, refused.json["code"]) == (422, "hall_closed")
        assert client.get(f"/api/v1/halls/{TIANHE}/slots?service={ID_CARD}&date={holiday.isoformat()}").json == []


def test_twenty_concurrent_bookings_of_the_last_seat_give_exactly_one_booking(app, client):
    load_demo_catalogue()
    starts_at = slot(next_working_day(), 2)
    assert book(client, create_resident(L2), starts_at).status_code == 201  # one of the two counters taken
    racers = [create_resident(L2) for _ in range(20)]
    barrier = threading.Barrier(len(racers))
    body = {"hall_code": TIANHE, "service_code": ID_CARD, "starts_at": starts_at.isoformat()}

    def race(resident):
        own_client = app.test_client()
        barrier.wait()
        response = own_client.post(MINE, headers=resident.headers, json=body)
        return response.status_code, response.json["code"] if response.status_code != 201 else "booked"

    with ThreadPoolExecutor(len(racers)) as pool:
        outcomes = list(pool.map(race, racers))
    session().rollback()
    assert [o for o in outcomes if o[0] == 201] == [(201, "booked")]
    # The rest hear the slot is full. SQLite has one writer at a time, so there a writer that waited past
    # the busy timeout may hear 503 instead; PostgreSQL's row lock makes every loser see the seat taken.
    losers = {o for o in outcomes if o[0] != 201}
    if session().get_bind().dialect.name == "postgresql":
        assert losers == {(409, "slot_full")}
    else:
        assert losers <= {(409, "slot_full"), (503, "store_unavailable")}
    assert session().scalar(select(func.count()).select_from(Appointment)
                            .where(Appointment.starts_at == starts_at, Appointment.status == "booked")) == 2
    assert session().scalar(select(HallSlot.booked).where(HallSlot.starts_at == starts_at)) == 2


def test_wrong_callers_cannot_book_or_touch_someone_elses_appointment(client):
    load_demo_catalogue()
    owner, stranger, unverified = create_resident(L2), create_resident(L2), create_resident(L1)
    starts_at = slot(next_working_day())
    assert book(client, unverified, starts_at).json["code"] == "level_required"
    assert client.post(MINE, json={"hall_code": TIANHE, "service_code": ID_CARD,
                                   "starts_at": starts_at.isoformat()}).status_code == 401
    officer = hall_officer(TIANHE)
    assert client.get(MINE, headers=officer.headers).status_code == 401
    item = f"{MINE}/{book(client, owner, starts_at).json['id']}"
    for method, body in (("get", None), ("patch", {"starts_at": slot(next_working_day(), 1).isoformat()}),
                         ("delete", None)):
        refused = client.open(item, method=method.upper(), headers=stranger.headers, json=body)
        assert (refused.status_code, refused.json["code"]) == (404, "appointment_not_found"), method
    assert client.get(MINE, headers=stranger.headers).json == []
    assert client.get(item, headers=owner.headers).json["status"] == "booked"
    assert client.patch(item, headers=owner.headers, json={}).status_code == 422


def test_the_hall_sees_its_day_and_records_who_came_and_who_did_not(client):
    load_demo_catalogue()
    day = next_working_day()
    came, missed, elsewhere = create_resident(L2, name="李小明"), create_resident(L2), create_resident(L2)
    first = book(client, came, slot(day, 0)).json
    second = book(client, missed, slot(day, 1)).json
    at_futian = book(client, elsewhere, slot(day, 0, FUTIAN), hall=FUTIAN).json
    officer = hall_officer(TIANHE)
    url = f"/api/v1/halls/{TIANHE}/appointments"
    listed = client.get(f"{url}?date={day.isoformat()}", headers=officer.headers)
    assert listed.status_code == 200, listed.json
    assert [(v["id"], v["name"]) for v in listed.json] == [(first["id"], "**明"), (second["id"], "*三")]
    assert listed.json[0]["id_number"] == came.id_number[0] + "*" * 16 + came.id_number[-1]
    tracker = client.get("/api/v1/me/access-log", headers=came.headers).json
    assert [e["purpose"] for e in tracker] == ["服务大厅按您的预约接待您"]

    assert client.get(f"{url}?date={day.isoformat()}", headers=hall_officer(FUTIAN).headers).json["code"] == \
        "not_this_hall"
    agent = create_staff_member(role=AGENT)
    assert client.get(f"{url}?date={day.isoformat()}", headers=agent.headers).json["code"] == "role_required"
    assert client.get(url, headers=officer.headers).status_code == 422  # the day is required
    assert client.get(f"{url}?date={day.isoformat()}", headers=came.headers).status_code == 401

    outcome = f"{url}/{first['id']}/outcome"
    early = client.put(outcome, headers=officer.headers, json={"outcome": "attended"})
    assert (early.status_code, early.json["code"]) == (409, "appointment_not_started")
    assert client.put(outcome, headers=officer.headers, json={"outcome": "late"}).status_code == 422
    with clock.freeze(slot(day, 1) + timedelta(minutes=5)):
        # A staff session lives one shift; freezing the clock into tomorrow needs a fresh login.
        officer = hall_officer(TIANHE)
        assert client.put(outcome, headers=officer.headers, json={"outcome": "attended"}).json["status"] == "attended"
        no_show = client.put(f"{url}/{second['id']}/outcome", headers=officer.headers, json={"outcome": "no_show"})
        assert no_show.json["status"] == "no_show"
        other_hall = client.put(f"{url}/{at_futian['id']}/outcome", headers=officer.headers,
                                json={"outcome": "no_show"})
        assert other_hall.status_code == 404
    assert client.get(f"{MINE}/{second['id']}", headers=missed.headers).json["status"] == "no_show"
