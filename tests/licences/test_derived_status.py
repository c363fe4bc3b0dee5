"""Expiring and expired are worked out each day in Asia/Shanghai from valid_until and the renewal window.

A food business licence valid until 9 January 2027 with a 30-day renewal window is ``expiring``
from 10 December 2026 to 9 January 2027 inclusive and ``expired`` from 10 January 2027.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db import session
from app.licences.models import Licence
from app.licences.status import STATUSES, status_condition
from tests.support.entities import bound_entity, entity_record, licence_record, market_authority, new_uscc, send_ok
from tests.support.residents import create_resident

NUMBER = "JY14401040099001"
BOUNDARIES = [
    (date(2026, 12, 9), "valid"),      # the day before the renewal window opens
    (date(2026, 12, 10), "expiring"),  # the day it opens
    (date(2026, 12, 11), "expiring"),  # the day after
    (date(2027, 1, 8), "expiring"),    # the day before the last valid day
    (date(2027, 1, 9), "expiring"),    # the last valid day
    (date(2027, 1, 10), "expired"),    # the day after
]


@pytest.fixture
def licence(client):
    authority = market_authority()
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, create_resident()),
            licence_record(NUMBER, uscc, issued_on=date(2022, 1, 10), valid_until=date(2027, 1, 9)))
    return NUMBER


def shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.local_tz()).astimezone(UTC)


@pytest.mark.parametrize("day, expected", BOUNDARIES)
def test_the_public_check_shows_the_status_of_the_local_day_at_its_first_and_last_minute(
        client, licence, day, expected):
    # 00:30 in Shanghai is still the previous day in UTC; 23:30 is the same day in UTC.
    for moment in (shanghai(day, time(0, 30)), shanghai(day, time(23, 30))):
        with clock.freeze(moment):
            response = client.get("/api/v1/licences/check", query_string={"number": licence})
        assert response.json["status"] == expected, moment


def test_a_cached_answer_is_not_served_on_the_next_local_day(client, licence):
    with clock.freeze(shanghai(date(2027, 1, 9), time(23, 59))):
        assert client.get("/api/v1/licences/check", query_string={"number": licence}).json["status"] == "expiring"
    with clock.freeze(shanghai(date(2027, 1, 10), time(0, 1))):
        assert client.get("/api/v1/licences/check", query_string={"number": licence}).json["status"] == "expired"


@pytest.mark.parametrize("day, expected", BOUNDARIES)
def test_the_status_filter_selects_exactly_the_licences_with_that_derived_status(licence, day, expected):
    for status in STATUSES:
        found = session().scalars(select(Licence.number).where(status_condition(status, day))).all()
        assert found == ([licence] if status == expected else []), status


def test_a_licence_without_an_expiry_stays_valid(client):
    authority = market_authority()
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, create_resident()),
            licence_record("GS4401060000001", uscc, type="business_licence", issued_on=date(2010, 5, 1)))
    with clock.freeze(shanghai(date(2040, 1, 1), time(12))):
        assert client.get("/api/v1/licences/check", query_string={"number": "GS4401060000001"}
                          ).json["status"] == "valid"
    assert session().scalars(select(Licence.number).where(status_condition("valid", date(2040, 1, 1)))).all() == [
        "GS4401060000001"]


def test_the_entity_list_filters_by_todays_derived_status(client, emulator):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    today = clock.today()
    send_ok(client, authority,
            licence_record("JY1000000000001", company.uscc, valid_until=today + timedelta(days=20)),
            licence_record("JY1000000000002", company.uscc, valid_until=today + timedelta(days=200)),
            licence_record("JY1000000000003", company.uscc, valid_until=today - timedelta(days=1)))
    url = f"/api/v1/entities/{company.uscc}/licences"
    headers = company.representative.headers

    def numbers(status):
        return [item["number"] for item in client.get(url, query_string={"status": status}, headers=headers).json]

    assert numbers("expiring") == ["JY1000000000001"]
    assert numbers("valid") == ["JY1000000000002"]
    assert numbers("expired") == ["JY1000000000003"]
    assert numbers("suspended") == []
    assert client.get(url, query_string={"status": "lost"}, headers=headers).status_code == 422


def test_the_entity_list_is_paginated_soonest_expiry_first(client, emulator):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    today = clock.today()
    send_ok(client, authority, *[licence_record(f"JY20000000000{i:02d}", company.uscc,
                                                valid_until=today + timedelta(days=100 - i)) for i in range(5)])
    response = client.get(f"/api/v1/entities/{company.uscc}/licences", query_string={"page": 2, "page_size": 2},
                          headers=company.representative.headers)
    assert [item["number"] for item in response.json] == ["JY2000000000002", "JY2000000000001"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 5
