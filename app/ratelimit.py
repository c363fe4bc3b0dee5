"""Fixed-window counters in Redis, shared by every process."""

from __future__ import annotations

import time

from app.errors import RateLimited
from app.redis_store import get_redis


def count(key: str, window_seconds: int) -> int:
    """How many hits ``key`` has in its current window."""
    bucket = int(time.time()) // window_seconds
    return int(get_redis().get(f"rl:{key}:{bucket}") or 0)


def hit(key: str, *, limit: int, window_seconds: int, code: str = "rate_limited",
        message: str | None = None, error: type[RateLimited] = RateLimited, count: int = 1) -> None:
    """Count ``count`` hits; past ``limit`` in the window, raise ``error`` (429) with the seconds left."""
    now = time.time()
    bucket = int(now) // window_seconds
    redis_key = f"rl:{key}:{bucket}"
    pipe = get_redis().pipeline()
    pipe.incrby(redis_key, count)
    pipe.expire(redis_key, window_seconds + 1)
    hits, _ = pipe.execute()
    if hits > limit:
        retry_after = max(1, int((bucket + 1) * window_seconds - now))
        if error is RateLimited:
            raise RateLimited(message, code=code, retry_after=retry_after)
        raise error(retry_after=retry_after)


def refuse_when_spent(key: str, *, limit: int, window_seconds: int, error: type[RateLimited]) -> None:
    """Raise ``error`` when ``key`` already has ``limit`` hits in its window (counts nothing itself:
    pair it with ``hit`` for the attempts that should count, e.g. only the failed ones)."""
    now = time.time()
    if count(key, window_seconds) >= limit:
        raise error(retry_after=max(1, int((int(now) // window_seconds + 1) * window_seconds - now)))
