"""The session check is answered from Redis, and every change that ends or alters a session takes
effect on the very next request: logout, logout everywhere, a disabled account, a level gained or
lost — also when the change is made through another API process sharing the database and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import requests

from app import clock
from app.db import session, transactional
from app.identity import session_cache
from app.identity.models import Account
from app.identity.sessions import start_session
from app.redis_store import get_redis, redis_url
from config import devkeys, get_settings
from tests.support.residents import create_resident
from tests.support.roundtrips import counting
from tests.support.stores import ApiProcess

ME = "/api/v1/me"


def _cached(client, headers) -> None:
    """Two requests: the first fills the cache, the second is answered from it (no session SQL)."""
    assert client.get(ME, headers=headers).status_code == 200
    with counting() as trips:
        assert client.get(ME, headers=headers).status_code == 200
    assert not any("auth_sessions" in statement for statement in trips.sql), trips.sql


@transactional
def _change(account_id: int, **values) -> None:
    account = session().get(Account, account_id)
    for name, value in values.items():
        setattr(account, name, value)


@transactional
def _second_session(account_id: int) -> dict[str, str]:
    pair = start_session(session().get(Account, account_id))
    return {"Authorization": f"Bearer {pair.access_token}"}


def test_logout_refuses_the_next_request(client):
    resident = create_resident(level=3)
    _cached(client, resident.headers)
    assert client.post("/api/v1/auth/logout", headers=resident.headers).status_code == 204
    answer = client.get(ME, headers=resident.headers)
    assert answer.status_code == 401 and answer.json["code"] == "session_revoked"


def test_logout_everywhere_refuses_every_session_on_the_next_request(client):
    resident = create_resident(level=3)
    other = _second_session(resident.account_id)
    _cached(client, resident.headers)
    _cached(client, other)
    assert client.post("/api/v1/auth/logout-all", headers=other).json == {"sessions_ended": 2}
    for headers in (resident.headers, other):
        answer = client.get(ME, headers=headers)
        assert answer.status_code == 401 and answer.json["code"] == "session_revoked"


def test_a_disabled_account_is_refused_on_the_next_request(client):
    resident = create_resident(level=3)
    _cached(client, resident.headers)
    _change(resident.account_id, disabled_at=clock.now())
    answer = client.get(ME, headers=resident.headers)
    assert answer.status_code == 403 and answer.json["code"] == "account_disabled"


def _l3_gate(client, headers) -> str | None:
    """The code an L3-only endpoint answers (its body is refused after the level check)."""
    return client.post("/api/v1/me/entities", json={}, headers=headers).json["code"]


def test_a_level_lost_or_gained_shows_on_the_next_request(client):
    resident = create_resident(level=3)
    _cached(client, resident.headers)
    assert _l3_gate(client, resident.headers) == "validation_error"
    _change(resident.account_id, face_verified_at=clock.now() - timedelta(days=400))
    assert _l3_gate(client, resident.headers) == "level_required"
    assert client.get(ME, headers=resident.headers).json["level"] == 2
    _cached(client, resident.headers)
    _change(resident.account_id, face_verified_at=clock.now())
    assert _l3_gate(client, resident.headers) == "validation_error"


def test_what_me_shows_follows_a_change_on_the_next_request(client):
    resident = create_resident(level=3)
    _cached(client, resident.headers)
    assert client.get(ME, headers=resident.headers).json["elder_mode"] is False
    assert client.put("/api/v1/me/display", json={"elder_mode": True}, headers=resident.headers).status_code == 200
    assert client.get(ME, headers=resident.headers).json["elder_mode"] is True
    _change(resident.account_id, l3_method="in_person")  # a change made elsewhere (a hall officer)
    assert client.get(ME, headers=resident.headers).json["l3_method"] == "in_person"


def test_the_cached_entry_holds_no_plaintext_identity(client):
    resident = create_resident(level=3)
    me = client.get(ME, headers=resident.headers).json
    assert me["masked"] is False and me["name"] and me["id_number"] and me["phone"]
    raw = get_redis().get(session_cache.entry_key(resident.tokens.session_id))
    assert me["name"] not in raw and me["id_number"] not in raw and me["phone"] not in raw
    assert client.get(ME, headers=resident.headers).json == me  # and the hit shows the same


def test_an_entry_written_from_a_read_that_raced_a_change_is_not_believed(client):
    resident = create_resident(level=3)
    sid, subject = resident.tokens.session_id, str(resident.account_id)
    before = session_cache.lookup(sid, subject)  # a request reads the generation, then the database …
    account = session().get(Account, resident.account_id)
    session_cache.invalidate({resident.account_id})  # … a change commits meanwhile …
    session_cache.remember(sid, account, before.generation)  # … and the stale read is written back
    assert get_redis().get(session_cache.entry_key(sid)) is not None
    assert session_cache.lookup(sid, subject).account is None


def test_l3_lapsing_shows_on_me_at_the_instant_though_nothing_was_written(client):
    """The answer is kept per account state and level: time alone takes L3 away, nothing invalidates."""
    resident = create_resident(level=3)
    lapses_at = datetime.fromisoformat(client.get(ME, headers=resident.headers).json["l3_lapses_at"])
    with clock.freeze(lapses_at - timedelta(microseconds=1)):
        _cached(client, resident.headers)
        before = client.get(ME, headers=resident.headers).json
    with clock.freeze(lapses_at):
        after = client.get(ME, headers=resident.headers).json
    assert (before["level"], before["masked"]) == (3, False)
    assert before["name"] == "张三" and "*" not in before["id_number"]
    assert (after["level"], after["masked"], after["l3_lapses_at"], after["l3_method"]) == (2, True, None, None)
    assert after["name"] == "*三" and after["id_number"] == before["id_number"][0] + "*" * 16 + \
        before["id_number"][-1]


def test_me_kept_for_one_resident_is_never_shown_to_another(client):
    """Two residents whose accounts differ only in id and identity each see their own, from the cache too."""
    first, second = create_resident(level=3, name="张三"), create_resident(level=3, name="李四")
    for _round in range(2):
        mine = client.get(ME, headers=first.headers).json
        theirs = client.get(ME, headers=second.headers).json
        assert (mine["id"], mine["name"]) == (first.account_id, "张三")
        assert (theirs["id"], theirs["name"]) == (second.account_id, "李四")


def test_a_kept_me_answer_is_what_the_schema_dumps(client):
    """A hit sends the bytes a fresh answer would: the same JSON, the same type."""
    resident = create_resident(level=2)
    first = client.get(ME, headers=resident.headers)  # the database read (miss)
    second = client.get(ME, headers=resident.headers)  # the snapshot, rendered once
    third = client.get(ME, headers=resident.headers)  # the kept text
    assert first.data == second.data == third.data
    assert third.mimetype == "application/json" and third.json["masked"] is True


@pytest.fixture
def second_api() -> Iterator[ApiProcess]:
    """Another API process on the same database and Redis (and the same keys)."""
    settings = get_settings()
    keys = {name.upper(): value for name, value in devkeys.load_or_create(settings.instance_path).items()
            if name != "wechat_secret"}  # ApiProcess sets that one
    api = ApiProcess(DATABASE_URL=settings.sqlalchemy_url, REDIS_URL=redis_url(), **keys)
    try:
        api.start()
        yield api
    finally:
        api.close()


def test_a_session_ended_through_one_api_process_is_refused_by_another_at_once(client, second_api):
    resident = create_resident(level=3)
    other = _second_session(resident.account_id)
    remote = second_api.url + ME
    assert requests.get(remote, headers=resident.headers, timeout=30).status_code == 200  # cached there
    _cached(client, resident.headers)
    logout = requests.post(second_api.url + "/api/v1/auth/logout", headers=resident.headers, timeout=30)
    assert logout.status_code == 204
    assert client.get(ME, headers=resident.headers).json["code"] == "session_revoked"
    # and the other way round: ended here, refused there
    assert requests.get(remote, headers=other, timeout=30).status_code == 200
    _cached(client, other)
    assert client.post("/api/v1/auth/logout-all", headers=other).status_code == 200
    assert requests.get(remote, headers=other, timeout=30).json()["code"] == "session_revoked"
