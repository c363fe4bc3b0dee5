"""``redis_store.exchange``: several commands in one write, their replies in order, and a connection
whose replies were not all read is never handed to the next caller (real Redis)."""

from __future__ import annotations

import secrets

import pytest
import redis

from app.redis_store import exchange, get_redis
from tests.support.roundtrips import counting


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
