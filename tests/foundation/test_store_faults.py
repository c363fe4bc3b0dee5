"""Stores going down and coming back, for real: a private Redis and a private PostgreSQL that the
test stops and restarts under an API running in its own process. Nothing answers 500; reads that
need only the database keep working without Redis; what needs a missing store answers 503
``store_unavailable`` with Retry-After; a WeChat login code is not spent while a store is down; and
everything recovers by itself."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.stores import ApiProcess, PrivatePostgres, PrivateRedis, wait_until

READS = ("/api/v1/me", "/api/v1/me/notifications", "/api/v1/me/notifications/unread-count", "/api/v1/me/subscriptions")


class Client:
    """Every answer of the run is kept, so the test can say none of them was a 500."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self.answers = base_url, []

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, self.base_url + path, timeout=30, **kwargs)
        self.answers.append((method, path, response.status_code))
        return response

    def login(self, code: str) -> requests.Response:
        return self.call("POST", "/api/v1/auth/wechat-login", json={"code": code})

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [a for a in self.answers if a[2] >= 500 and a[2] != 503]


def _unavailable(response: requests.Response) -> bool:
    return (response.status_code == 503 and response.json()["code"] == "store_unavailable"
            and response.headers.get("Retry-After") == "5")


@pytest.fixture(scope="module")
def redis_server() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.close()


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    cluster.start()
    cluster.create_database()
    yield cluster
    cluster.close()


def _api(**env: str) -> Iterator[ApiProcess]:
    api = ApiProcess(**env)
    try:
        api.start()
        yield api
    finally:
        api.close()


@pytest.fixture(scope="module")
def api_on_sqlite(redis_server) -> Iterator[ApiProcess]:
    yield from _api(REDIS_URL=redis_server.url)


@pytest.fixture
def api_on_postgres(redis_server, postgres) -> Iterator[ApiProcess]:
    yield from _api(REDIS_URL=redis_server.url, DATABASE_URL=postgres.url)


def _signed_in(client: Client, emulator) -> tuple[str, dict, dict]:
    openid = emulator.create_user()["openid"]
    login = client.login(emulator.login_code(openid))
    assert login.status_code == 200, login.text
    return openid, login.json(), {"Authorization": f"Bearer {login.json()['access_token']}"}


def test_with_redis_down_database_reads_and_writes_work_what_needs_redis_answers_503_and_all_recovers(
        emulator, redis_server, api_on_sqlite):
    client = Client(api_on_sqlite.url)
    openid, tokens, headers = _signed_in(client, emulator)
    redis_server.stop()
    for path in READS:
        assert client.call("GET", path, headers=headers).status_code == 200, path
    assert client.call("GET", "/api/v1/licences/check", params={"number": "NO-SUCH-1"}).status_code == 404
    refreshed = client.call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200  # a database-only write
    code = emulator.login_code(openid)
    assert _unavailable(client.login(code))  # the session key lives in Redis
    assert client.call("GET", "/readyz").json()["checks"] == {"database": True, "redis": False}
    redis_server.start()
    wait_until(lambda: client.call("GET", "/readyz").status_code == 200, what="readiness after Redis is back")
    assert client.login(code).status_code == 200  # the code refused meanwhile was never spent upstream
    assert client.call("GET", "/api/v1/me", headers=headers).status_code == 200
    assert client.server_errors() == []


def test_with_postgresql_down_requests_answer_503_a_login_code_is_kept_and_all_recovers(
        emulator, postgres, api_on_postgres):
    client = Client(api_on_postgres.url)
    openid, tokens, headers = _signed_in(client, emulator)
    postgres.stop()
    for path in READS:
        assert _unavailable(client.call("GET", path, headers=headers)), path
    assert _unavailable(client.call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}))
    code = emulator.login_code(openid)
    assert _unavailable(client.login(code))
    assert client.call("GET", "/healthz").status_code == 200
    assert client.call("GET", "/readyz").json()["checks"] == {"database": False, "redis": True}
    postgres.start()
    wait_until(lambda: client.call("GET", "/api/v1/me", headers=headers).status_code == 200,
               what="reads after PostgreSQL is back")
    assert client.call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).ok
    assert client.login(code).status_code == 200  # refused while the database was down, never spent
    assert client.server_errors() == []


def test_a_locked_sqlite_database_answers_503_fast_and_recovers(emulator, api_on_sqlite):
    client = Client(api_on_sqlite.url)
    _openid, tokens, headers = _signed_in(client, emulator)
    lock = sqlite3.connect(Path(api_on_sqlite.instance) / "yss.sqlite3", isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        started = time.monotonic()
        refused = client.call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert _unavailable(refused), refused.text
        assert time.monotonic() - started < 5
        assert client.call("GET", "/api/v1/me", headers=headers).status_code == 200  # readers are not blocked
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert client.call("POST", "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).ok
    assert client.server_errors() == []


def test_after_a_postgresql_restart_the_first_read_is_answered_on_a_fresh_connection(
        emulator, postgres, api_on_postgres):
    """No connection is pinged before use: the pooled ones the restart cut fail their first
    statement, which empties the pool, and the read runs again on a new connection."""
    client = Client(api_on_postgres.url)
    _openid, _tokens, headers = _signed_in(client, emulator)
    for path in READS:  # the pool now holds connections to the server about to restart
        assert client.call("GET", path, headers=headers).status_code == 200, path
    postgres.stop()
    postgres.start()  # pg_ctl -w: accepting connections again
    for path in READS:
        assert client.call("GET", path, headers=headers).status_code == 200, path
    assert client.server_errors() == []
