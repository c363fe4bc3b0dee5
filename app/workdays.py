"""Working days in China: public holidays and adjusted working days (调休) from ``chinese_calendar``.

The package carries the State Council's notices up to the year it was released. For a year it
has no data for, weekends-only is the best guess, and every result built on such a guess says
so (``estimated``), so a deadline can be recomputed once the package is updated.

Deadline rule: the start day itself never counts; the deadline is the end of the Nth working day
after the start's local date. A request on a Saturday is thus counted from Monday (day 1),
exactly as one sent on the Friday before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

BUSINESS_TZ = "Asia/Shanghai"
_END_OF_DAY = time(23, 59, 59, 999999)


@dataclass(frozen=True)
class Deadline:
    due: datetime  # aware, UTC
    estimated: bool  # some day counted lies in a year without official holiday data


def is_working_day(d: date) -> tuple[bool, bool]:
    """(is_working, estimated)."""
    try:
        return chinese_calendar.is_workday(d), False
    except NotImplementedError:  # the package has no data for this year
        return d.weekday() < 5, True


def add_working_days(start: datetime, days: int, tz: str = BUSINESS_TZ) -> Deadline:
    """End (23:59:59.999999 local) of the ``days``-th working day after ``start``'s local date."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be an aware datetime")
    if days < 1:
        raise ValueError("days must be at least 1")
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    estimated = False
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        working, guessed = is_working_day(day)
        estimated |= guessed
        counted += working
    return Deadline(due=datetime.combine(day, _END_OF_DAY, tzinfo=zone).astimezone(UTC), estimated=estimated)


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end (negative when end is before start).

    Consistent with ``add_working_days``: n working days after ``start`` ends on a day for which
    this returns n. Days in years without data count as weekdays (see ``is_working_day``).
    """
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + timedelta(days=i))[0] for i in range(1, (end - start).days + 1))
