"""The inbox is answered from its cache (app/readcache.py) and every change shows on the next request:
a notification written in bulk, one marked read, all marked read; an answer is one resident's alone,
acting for someone is never served from the actor's cache, and a stale answer is never believed."""

from __future__ import annotations

import json

from app import readcache
from app.push.inbox import inbox_owner
from app.push.notify import notify
from app.redis_store import get_redis
from tests.support.acting import acting, proxy_grant, ref_for
from tests.support.residents import create_resident
from tests.support.roundtrips import counting

INBOX = "/api/v1/me/notifications"
UNREAD = "/api/v1/me/notifications/unread-count"


def _notify(account_id: int, n: int) -> None:
    notify([account_id], category="tickets", title=f"通知{n}", body="内容", page=None,
           why={"rule": {"id": "ticket_reply"}, "facts": {"ticket": n}}, dedupe_key=f"t{n}")


def _hit(client, path: str, headers: dict) -> list | dict:
    """The answer, which must come from the cache: no SQL at all."""
    with counting() as trips:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.json
    assert trips.sql == [], trips.sql
    return response.json


def test_a_cached_inbox_shows_a_new_notification_on_the_next_request(client):
    me = create_resident()
    _notify(me.account_id, 1)
    assert [n["title"] for n in client.get(INBOX, headers=me.headers).json] == ["通知1"]
    assert [n["title"] for n in _hit(client, INBOX, me.headers)] == ["通知1"]
    _notify(me.account_id, 2)  # written in bulk (insert … on conflict), not through the ORM
    assert [n["title"] for n in client.get(INBOX, headers=me.headers).json] == ["通知2", "通知1"]
    assert client.get(UNREAD, headers=me.headers).json == {"unread": 2}
    assert _hit(client, UNREAD, me.headers) == {"unread": 2}


def test_marking_one_or_all_read_shows_on_the_next_request(client):
    me = create_resident()
    for n in range(3):
        _notify(me.account_id, n)
    first = client.get(INBOX, headers=me.headers).json[0]
    _hit(client, INBOX, me.headers)
    assert client.post(f"{INBOX}/{first['id']}/read", headers=me.headers).status_code == 200
    assert [n["read"] for n in client.get(INBOX, headers=me.headers).json] == [True, False, False]
    assert client.get(f"{INBOX}?unread=true", headers=me.headers).json[0]["id"] != first["id"]
    assert client.post(f"{INBOX}/read-all", headers=me.headers).json == {"marked": 2, "unread": 0}
    assert [n["read"] for n in client.get(INBOX, headers=me.headers).json] == [True, True, True]
    assert client.get(UNREAD, headers=me.headers).json == {"unread": 0}


def test_each_page_is_cached_with_its_own_total(client):
    me = create_resident()
    for n in range(3):
        _notify(me.account_id, n)
    for _ in range(2):  # the second time from the cache, X-Pagination included
        page2 = client.get(f"{INBOX}?page=2&page_size=2", headers=me.headers)
        assert [n["title"] for n in page2.json] == ["通知0"]
        assert json.loads(page2.headers["X-Pagination"])["total"] == 3
    first = f"{INBOX}?page=1&page_size=2"
    assert [n["title"] for n in client.get(first, headers=me.headers).json] == ["通知2", "通知1"]
    assert [n["title"] for n in _hit(client, first, me.headers)] == ["通知2", "通知1"]


def test_one_residents_cached_inbox_is_never_anothers(client):
    me, other = create_resident(), create_resident()
    _notify(me.account_id, 1)
    assert len(client.get(INBOX, headers=me.headers).json) == 1
    assert client.get(INBOX, headers=other.headers).json == []
    assert _hit(client, INBOX, other.headers) == []
    assert len(_hit(client, INBOX, me.headers)) == 1


def test_acting_for_someone_shows_their_inbox_not_the_actors_cached_one(client):
    father = create_resident(level=3, name="王父")
    daughter = create_resident(level=3, name="王女")
    proxy_grant(client, father, daughter, ["receive_reminders"])
    _notify(father.account_id, 1)
    _notify(daughter.account_id, 7)
    own = client.get(INBOX, headers=daughter.headers).json
    assert [n["title"] for n in own] == ["通知7"]
    headers = acting(daughter, ref_for(client, daughter, "王父"))
    for _ in range(2):
        assert [n["title"] for n in client.get(INBOX, headers=headers).json] == ["通知1"]
    assert [n["title"] for n in _hit(client, INBOX, daughter.headers)] == ["通知7"]


def test_an_answer_written_from_a_read_that_raced_a_change_is_not_believed(client):
    me = create_resident()
    owner, field = inbox_owner(me.account_id), "push_inbox.Notifications?"
    before = readcache.lookup(owner, field)  # a request reads the generation, then the database …
    readcache.invalidate([owner])  # … a change commits meanwhile …
    readcache.store(owner, field, json.dumps(["[]", None]), before.generation)  # … the stale answer is kept
    assert readcache.lookup(owner, field).value is None


def test_an_owner_keeps_a_bounded_number_of_answers(client):
    me = create_resident()
    for page in range(1, readcache.MAX_FIELDS + 2):  # every page a client may ask for, each a 200
        assert client.get(f"{INBOX}?page={page}", headers=me.headers).status_code == 200
    assert get_redis().hlen(f"rc:{inbox_owner(me.account_id)}") <= readcache.MAX_FIELDS
