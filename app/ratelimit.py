"""Fixed-window counters in Redis, shared by every process.

While Redis is out of reach the counters fall back to this process's memory (logged once per
outage): every limit still holds per process, so with N processes a client gets at most N times
its limit until Redis is back, rather than no limit at all or no service at all.

A request's counters and its cached reads share one round trip: the API defers its per-address
limit (``defer``) for views that read Redis anyway, other modules defer the reads they will want
(``defer_reads``: a cached answer, ``app.readcache``), and ``with_limits`` counts what is pending
together with the view's own limits and reads, in one round trip (``redis_store.exchange``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from app import clock
from app.errors import RateLimited
from app.redis_store import REDIS_UNAVAILABLE, exchange, get_redis, note_available, note_unavailable

FALLBACK = "rate limits count in each process's memory"
_MAX_LOCAL_KEYS = 50_000


class _LocalCounters:
    def __init__(self) -> None:
        self._hits: dict[str, tuple[int, int]] = {}  # key -> (expires at, hits)
        self._lock = threading.Lock()

    def get(self, key: str) -> int:
        with self._lock:
            expires, hits = self._hits.get(key, (0, 0))
            return hits if expires > clock.wall_seconds() else 0

    def incr(self, key: str, ttl: int, amount: int = 1) -> int:
        now = clock.wall_seconds()
        with self._lock:
            if len(self._hits) > _MAX_LOCAL_KEYS:
                self._hits = {k: v for k, v in self._hits.items() if v[0] > now}
            expires, hits = self._hits.get(key, (0, 0))
            hits = hits + amount if expires > now else amount
            self._hits[key] = (expires if expires > now else int(now) + ttl, hits)
            return hits


_local = _LocalCounters()


def count(key: str, window_seconds: int) -> int:
    """How many hits ``key`` has in its current window."""
    bucket = int(clock.wall_seconds()) // window_seconds
    redis_key = f"rl:{key}:{bucket}"
    try:
        hits = int(get_redis().get(redis_key) or 0)
    except REDIS_UNAVAILABLE as error:
        note_unavailable(FALLBACK, error)
        return _local.get(redis_key)
    note_available()
    return hits


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window_seconds: int
    error: type[RateLimited] = RateLimited
    count: int = 1


@dataclass(frozen=True)
class Reads:
    """Commands another module queues on the request's next round trip, and where their answers go."""

    commands: tuple[tuple[Any, ...], ...]  # e.g. ("HGET", key, field), sent as they stand
    receive: Callable[[list | None], None]  # their answers, or None when Redis is out of reach


_pending: ContextVar[tuple[Limit, ...]] = ContextVar("pending_rate_limits", default=())
_pending_reads: ContextVar[tuple[Reads, ...]] = ContextVar("pending_reads", default=())


def defer(*limits: Limit) -> None:
    """A new request: count ``limits`` with its first ``with_limits`` round trip (the caller makes
    sure one comes: ``flush`` at the latest). Anything an earlier request left pending is dropped."""
    _pending.set(limits)
    _pending_reads.set(())


def defer_reads(reads: Reads) -> None:
    """Queue ``reads`` on the next ``with_limits`` round trip (e.g. a cached answer the view will want)."""
    _pending_reads.set((*_pending_reads.get(), reads))


def flush(*, refuse: bool = True) -> None:
    """Count what ``defer`` left pending now (``refuse=False``: count only, e.g. once answered)."""
    if _pending.get():
        with_limits(refuse=refuse)


def with_limits(*limits: Limit, reads: Sequence[tuple[Any, ...]] = (), refuse: bool = True) -> list | None:
    """Count the pending limits and ``limits``, and send the commands ``reads`` in the same round
    trip. Past a limit raise its error (429) with the seconds left; else return the replies to
    ``reads``, or None when Redis is out of reach (the counters then count here)."""
    limits, deferred = (*_pending.get(), *limits), _pending_reads.get()
    _pending.set(())
    _pending_reads.set(())
    now = clock.wall_seconds()
    keys = [f"rl:{lim.key}:{int(now) // lim.window_seconds}" for lim in limits]
    commands: list[tuple[Any, ...]] = []
    for lim, key in zip(limits, keys, strict=True):
        commands += (("INCRBY", key, lim.count), ("EXPIRE", key, lim.window_seconds + 1))
    for other in deferred:
        commands += other.commands
    commands += reads
    results: list | None
    try:
        answers = exchange(commands) if commands else []
        note_available()
        hits, at = answers[0:2 * len(limits):2], 2 * len(limits)
        for other in deferred:
            other.receive(answers[at:at + len(other.commands)])
            at += len(other.commands)
        results = answers[at:]
    except REDIS_UNAVAILABLE as error:
        note_unavailable(FALLBACK, error)
        hits = [_local.incr(key, lim.window_seconds + 1, lim.count) for lim, key in zip(limits, keys, strict=True)]
        results = None
        for other in deferred:
            other.receive(None)
    for lim, hits_now in zip(limits, hits, strict=True):
        if refuse and hits_now > lim.limit:
            bucket = int(now) // lim.window_seconds
            raise lim.error(retry_after=max(1, int((bucket + 1) * lim.window_seconds - now)))
    return results


def hit(key: str, *, limit: int, window_seconds: int, error: type[RateLimited] = RateLimited,
        count: int = 1) -> None:
    """Count ``count`` hits; past ``limit`` in the window, raise ``error`` (429) with the seconds left."""
    with_limits(Limit(key, limit, window_seconds, error, count))


def refuse_when_spent(key: str, *, limit: int, window_seconds: int, error: type[RateLimited]) -> None:
    """Raise ``error`` when ``key`` already has ``limit`` hits in its window (counts nothing itself:
    pair it with ``hit`` for the attempts that should count, e.g. only the failed ones)."""
    now = clock.wall_seconds()
    if count(key, window_seconds) >= limit:
        raise error(retry_after=max(1, int((int(now) // window_seconds + 1) * window_seconds - now)))
