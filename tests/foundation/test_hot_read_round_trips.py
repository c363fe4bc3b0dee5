"""The hot reads cost what they must and no more: counted SQL statements and Redis round trips for
`/me` (no SQL at all), the inbox, an entity's licence list and the cached public licence check (issue 19).

With the per-address rate limit switched on, each request makes exactly one Redis round trip (the
limit's counter and the session check, or the cached check, together), runs no statement inside
a transaction (no BEGIN, no COMMIT/ROLLBACK, no SQLite write lock), and the session check itself
runs no SQL once the session is cached.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.db import get_engine
from tests.support.entities import bound_entity, licence_record, market_authority, send_ok
from tests.support.residents import create_resident
from tests.support.roundtrips import counting

NUMBER = "JY14401060009876"


@pytest.fixture
def limited(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_MINUTE", 10_000)


def _measure(client, path: str, headers: dict | None = None, **kwargs):
    """The second of two identical requests (the first fills the session cache), counted."""
    assert client.get(path, headers=headers, **kwargs).status_code == 200
    with counting() as trips:
        response = client.get(path, headers=headers, **kwargs)
    assert response.status_code == 200, response.json
    return trips


def test_no_pre_ping_round_trip_on_checkout():
    assert get_engine().pool._pre_ping is False  # a dropped connection is retried instead (api.YssFlask)


def test_me_is_one_redis_round_trip_and_no_sql(client, limited):
    resident = create_resident(level=3)
    trips = _measure(client, "/api/v1/me", resident.headers)
    assert len(trips.redis) == 1, trips.redis
    assert sorted(trips.redis[0]) == ["EXPIRE", "INCRBY", "MGET"]  # the limit and the session check
    assert trips.sql == []  # the cached entry carries the account's snapshot (PII still encrypted)


def test_me_from_the_session_cache_decrypts_and_dumps_once_per_account_state(client, limited, monkeypatch):
    resident = create_resident(level=3)
    kept = _measure(client, "/api/v1/me", resident.headers)  # decrypted and rendered for this state
    assert kept.sql == []

    def refused(*_args, **_kwargs):
        raise AssertionError("a kept /me answer was built again")

    monkeypatch.setattr("app.identity.accounts.decrypt", refused)
    monkeypatch.setattr("api.identity._ME.dump", refused)
    answer = client.get("/api/v1/me", headers=resident.headers)
    assert answer.status_code == 200 and answer.json["id"] == resident.account_id


def test_me_on_a_cache_miss_reads_the_account_once(client, limited):
    resident = create_resident(level=3)
    with counting() as trips:
        assert client.get("/api/v1/me", headers=resident.headers).status_code == 200
    assert len(trips.sql) == 1, trips.sql  # session and account in one SELECT, kept for the view
    assert len(trips.redis) == 2  # the check, then the entry written for the next request
    assert trips.sql_in_transaction == 0


def test_the_inbox_is_one_round_trip_and_no_sql_once_cached(client, limited):
    resident = create_resident(level=3)
    trips = _measure(client, "/api/v1/me/notifications", resident.headers)
    assert len(trips.redis) == 1
    assert sorted(trips.redis[0]) == ["EXPIRE", "GET", "HGET", "INCRBY", "MGET"]  # limit, cached page, session
    assert trips.sql == []


def test_the_inbox_on_a_cache_miss_is_one_select_when_the_page_is_short(client, limited):
    resident = create_resident(level=3)
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 200  # the session cached
    with counting() as trips:
        assert client.get("/api/v1/me/notifications", headers=resident.headers).status_code == 200
    assert len(trips.sql) == 1, trips.sql  # the page; a short page needs no count
    assert "count(" not in trips.sql[0].lower()
    assert trips.sql_in_transaction == 0
    assert len(trips.redis) == 2  # the check with the cache lookup, then the answer kept


def test_an_entitys_licence_list_is_one_round_trip_and_no_sql_once_cached(client, emulator, limited):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(NUMBER, company.uscc, issued_on=date(2024, 3, 1)))
    trips = _measure(client, f"/api/v1/entities/{company.uscc}/licences", company.representative.headers)
    assert len(trips.redis) == 1
    assert sorted(trips.redis[0]) == ["EXPIRE", "GET", "HGET", "INCRBY", "MGET"]  # limit, cached page, session
    assert trips.sql == []


def test_an_entitys_licence_list_on_a_miss_takes_no_transaction_and_no_write_lock(client, emulator, limited):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(NUMBER, company.uscc, issued_on=date(2024, 3, 1)))
    headers = company.representative.headers
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the session cached
    with counting() as trips:
        assert client.get(f"/api/v1/entities/{company.uscc}/licences", headers=headers).status_code == 200
    # the entity, the representative's binding, the page, its scheduled decisions; no count, no BEGIN
    assert len(trips.sql) == 4, trips.sql
    assert trips.sql_in_transaction == 0
    assert not any(s.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")) for s in trips.sql)


def test_a_cached_public_licence_check_is_one_round_trip_and_no_sql(client, emulator, limited):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(NUMBER, company.uscc, issued_on=date(2024, 3, 1)))
    trips = _measure(client, "/api/v1/licences/check", query_string={"number": NUMBER})
    assert trips.sql == []
    assert len(trips.redis) == 1, trips.redis
    # the address's limit, the check's own limit and the cached answer, in one pipeline
    assert sorted(trips.redis[0]) == ["EXPIRE", "EXPIRE", "INCRBY", "INCRBY", "MGET"]


def test_the_rate_limit_still_refuses_when_it_shares_the_round_trip(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_MINUTE", 3)
    resident = create_resident(level=3)
    answers = [client.get("/api/v1/me", headers=resident.headers).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # a request refused before reaching Redis (no token) is counted too, and refused past the limit
    assert client.get("/api/v1/me").status_code == 429
