"""Fixed-window counters in Redis, shared by every process.

While Redis is out of reach the counters fall back to this process's memory (logged once per
outage): every limit still holds per process, so with N processes a client gets at most N times
its limit until Redis is back, rather than no limit at all or no service at all.
"""

from __future__ import annotations

import threading

from app import clock
from app.errors import RateLimited
from app.redis_store import REDIS_UNAVAILABLE, get_redis, note_available, note_unavailable

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


def hit(key: str, *, limit: int, window_seconds: int, error: type[RateLimited] = RateLimited,
        count: int = 1) -> None:
    """Count ``count`` hits; past ``limit`` in the window, raise ``error`` (429) with the seconds left."""
    now = clock.wall_seconds()
    bucket = int(now) // window_seconds
    redis_key = f"rl:{key}:{bucket}"
    try:
        pipe = get_redis().pipeline()
        pipe.incrby(redis_key, count)
        pipe.expire(redis_key, window_seconds + 1)
        hits, _ = pipe.execute()
        note_available()
    except REDIS_UNAVAILABLE as error:
        note_unavailable(FALLBACK, error)
        hits = _local.incr(redis_key, window_seconds + 1, count)
    if hits > limit:
        retry_after = max(1, int((bucket + 1) * window_seconds - now))
        raise error(retry_after=retry_after)


def refuse_when_spent(key: str, *, limit: int, window_seconds: int, error: type[RateLimited]) -> None:
    """Raise ``error`` when ``key`` already has ``limit`` hits in its window (counts nothing itself:
    pair it with ``hit`` for the attempts that should count, e.g. only the failed ones)."""
    now = clock.wall_seconds()
    if count(key, window_seconds) >= limit:
        raise error(retry_after=max(1, int((int(now) // window_seconds + 1) * window_seconds - now)))
