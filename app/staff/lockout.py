"""Per-(username, client address) login failures, in Redis (see ``app.staff.auth``).

Each key holds the consecutive failures of one username from one address and, once there were
``MAX_FAILURES``, the ``locked_until`` of yss's clock. Keys expire on their own: losing one only
forgets a lockout.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from app.redis_store import get_redis

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


def address_key(username: str, client_address: str | None) -> str:
    return f"staff-login:fail:{_username_digest(username)}:{client_address or '-'}"


def _username_digest(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def locked_until(key: str) -> datetime | None:
    value = get_redis().hget(key, "locked_until")
    return datetime.fromtimestamp(float(value), UTC) if value else None


def count_failure(key: str, now: datetime) -> datetime | None:
    """Count one failure; return the lock's end when this one locks the pair."""
    redis = get_redis()
    failures = redis.hincrby(key, "failures", 1)
    redis.expire(key, int(LOCK_DURATION.total_seconds()) * 2)
    if failures < MAX_FAILURES:
        return None
    until = now + LOCK_DURATION
    redis.hset(key, mapping={"failures": 0, "locked_until": until.timestamp()})
    return until


def forget(key: str) -> None:
    get_redis().delete(key)


def forget_username(username: str) -> None:
    """An admin's unlock lifts the username's lockouts at every address."""
    redis = get_redis()
    keys = list(redis.scan_iter(f"staff-login:fail:{_username_digest(username)}:*"))
    if keys:
        redis.delete(*keys)
