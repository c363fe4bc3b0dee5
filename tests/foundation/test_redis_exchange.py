"""``redis_store.exchange``: several commands in one write, their replies in order; a connection
whose replies were not all read is never used again as it stands; each thread's connection is its
own, and comes back by itself after the server restarts (real Redis servers)."""

from __future__ import annotations

import secrets
import threading

import pytest
import redis

from app.redis_store import exchange, get_redis
from tests.support.roundtrips import counting
from tests.support.stores import PrivateRedis


def _key() -> str:
    return f"test:exchange:{secrets.token_hex(6)}"


def test_replies_come_back_in_order_in_one_round_trip():
    key, other = _key(), _key()
    get_redis().set(other, "值")
    with counting() as trips:
        replies = exchange([("INCRBY", key, 5), ("EXPIRE", key, 30), ("MGET", key, other, _key()), ("GET", other)])
    assert replies == [5, 1, ["5", "值", None], "值"]
    assert trips.redis == [["INCRBY", "EXPIRE", "MGET", "GET"]]


def test_an_error_reply_is_raised_and_its_connection_is_not_reused_with_replies_unread():
    text, counter = _key(), _key()
    get_redis().set(text, "not a number")
    with pytest.raises(redis.ResponseError):
        exchange([("INCR", text), ("INCRBY", counter, 1), ("GET", text)])
    # The server ran the commands after the error; the next caller reads its own replies, not those.
    assert exchange([("GET", text), ("GET", counter)]) == ["not a number", "1"]


def test_redis_out_of_reach_raises_what_callers_fall_back_on(monkeypatch):
    from app import redis_store

    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=None)
    monkeypatch.setattr(redis_store, "get_redis", lambda: unreachable)
    with pytest.raises(redis_store.REDIS_UNAVAILABLE):
        exchange([("GET", _key())])


def test_after_the_server_restarts_the_next_exchange_reconnects(monkeypatch):
    from app import redis_store

    server = PrivateRedis()
    server.start()
    try:
        client = redis.Redis.from_url(server.url, decode_responses=True, socket_timeout=5)
        monkeypatch.setattr(redis_store, "get_redis", lambda: client)
        assert exchange([("INCRBY", "k", 2)]) == [2]
        server.stop()
        with pytest.raises(redis_store.REDIS_UNAVAILABLE):  # down: what callers fall back on
            exchange([("INCRBY", "k", 1)])
        server.start()
        assert exchange([("INCRBY", "k", 1), ("GET", "k")]) == [1, "1"]  # a new server, nothing kept
    finally:
        server.close()


def test_threads_exchanging_at_once_each_read_their_own_replies():
    keys = [_key() for _ in range(8)]
    mismatches: list[tuple] = []

    def run(key: str) -> None:
        for n in range(1, 201):
            replies = exchange([("INCRBY", key, 1), ("GET", key)])
            if replies != [n, str(n)]:
                mismatches.append((key, n, replies))

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mismatches == []
