"""The one clock of yss: aware UTC for storage, Asia/Shanghai (configurable) for business rules.

Tests move business time with ``freeze``. ``wall_seconds`` is the real clock, never frozen, for what
outside parties check against their own clocks (token ``exp``/``iat``, rate-limit windows, schedule
ticks); nothing else reads the system clock directly (monotonic timers for waits aside).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def wall_seconds() -> float:
    """Seconds since the epoch by the real clock (not frozen by ``freeze``)."""
    return time.time()


def local_tz() -> ZoneInfo:
    from config import get_settings

    return ZoneInfo(get_settings().timezone)


def local_now() -> datetime:
    return now().astimezone(local_tz())


def today() -> date:
    """Today's date where the business rules apply (Asia/Shanghai by default)."""
    return local_now().date()


@contextlib.contextmanager
def freeze(at: datetime) -> Iterator[None]:
    global _frozen
    previous, _frozen = _frozen, at.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous
