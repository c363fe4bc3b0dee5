"""Fixed-window counters in Redis, shared by every process."""

from __future__ import annotations

import time

from app.errors import RateLimited
from app.redis_store import get_redis


def count(key: str, window_seconds: int) -> int:
    """How many hits ``key`` has in its current window."""
    bucket = int(time.time()) // window_seconds
    return int(get_redis().get(f"rl:{key}:{bucket}") or 0)


def hit(key: str, *, limit: int, window_seconds: int, error: type[RateLimited] = RateLimited) -> None:
    """Count one hit; past ``limit`` in the window, raise ``error`` (429) with the seconds left."""
    now = time.time()
    bucket = int(now) // window_seconds
    redis_key = f"rl:{key}:{bucket}"
    pipe = get_redis().pipeline()
    pipe.incr(redis_key)
    pipe.expire(redis_key, window_seconds + 1)
    hits, _ = pipe.execute()
    if hits > limit:
        retry_after = max(1, int((bucket + 1) * window_seconds - now))
        raise error(retry_after=retry_after)
