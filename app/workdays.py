"""Working days in China: public holidays and adjusted working days (调休).

The ``chinese_calendar`` package carries the State Council's notices up to the year it was
released; ``config/calendar/holidays.toml`` adds later years (or corrects one), entered by an
operator from the notice. A year from the file replaces the package's data for that year. For a
year neither has, weekends-only is the best guess; every result built on a guess, or on a year the
file does not mark official, says so (``estimated``), so a deadline can be recomputed later.
``horizon`` is the last day covered by official data; ``/readyz`` and the staff console warn when
fewer than ``HORIZON_WARNING_DAYS`` remain.

Deadline rule: the start day itself never counts; the deadline is the end of the Nth working day
after the start's local date. A request on a Saturday is thus counted from Monday (day 1),
exactly as one sent on the Friday before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

BUSINESS_TZ = "Asia/Shanghai"
_END_OF_DAY = time(23, 59, 59, 999999)
HOLIDAYS_FILE = CONFIG_DIR / "calendar" / "holidays.toml"
HORIZON_WARNING_DAYS = 60
PACKAGE_LAST_YEAR = max(chinese_calendar.holidays).year


@dataclass(frozen=True)
class HolidayYear:
    year: int
    official: bool
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days worked (调休)


@dataclass(frozen=True)
class Horizon:
    official_until: date  # the last day official holiday data covers
    days_left: int
    warning: bool  # fewer than HORIZON_WARNING_DAYS days of official data remain


def _dates(entry: Entry, key: str, year: int) -> frozenset[date]:
    values = entry.raw.get(key, [])
    if not isinstance(values, list) or not all(type(v) is date and v.year == year for v in values):
        raise entry.error(key, f"expected a list of dates (YYYY-MM-DD, no quotes) in {year}")
    if len(set(values)) != len(values):
        raise entry.error(key, "a date is listed twice")
    return frozenset(values)


@functools.cache
def holiday_years() -> dict[int, HolidayYear]:
    """The years of ``config/calendar/holidays.toml``, checked (``DataFileError`` names a mistake)."""
    raw = read_toml(HOLIDAYS_FILE)
    if set(raw) - {"year"} or not isinstance(raw.get("year", []), list):
        raise DataFileError(HOLIDAYS_FILE, "-", "expected only [[year]] tables")
    years: dict[int, HolidayYear] = {}
    for index, table in enumerate(raw.get("year", [])):
        entry = Entry(HOLIDAYS_FILE, f"year[{index}]", table, {"year", "official", "source", "holidays", "workdays"})
        number = entry.integer("year", 2000, 2100)
        if number in years:
            raise entry.error("year", f"{number} is listed twice")
        holidays, workdays = _dates(entry, "holidays", number), _dates(entry, "workdays", number)
        if holidays & workdays:
            raise entry.error("workdays", f"{min(holidays & workdays)} is also a holiday")
        if any(d.weekday() < 5 for d in workdays):
            raise entry.error("workdays", "only a Saturday or Sunday can be an adjusted working day")
        years[number] = HolidayYear(number, entry.boolean("official", False), entry.text("source"), holidays, workdays)
    return years


def horizon(today: date) -> Horizon:
    """How far official holiday data reaches: the package's years, then the file's official ones."""
    last = PACKAGE_LAST_YEAR
    while (listed := holiday_years().get(last + 1)) is not None and listed.official:
        last += 1
    until = date(last, 12, 31)
    days_left = (until - today).days
    return Horizon(until, days_left, days_left < HORIZON_WARNING_DAYS)


@dataclass(frozen=True)
class Deadline:
    due: datetime  # aware, UTC
    estimated: bool  # some day counted lies in a year without official holiday data


def is_working_day(d: date) -> tuple[bool, bool]:
    """(is_working, estimated)."""
    listed = holiday_years().get(d.year)
    if listed is not None:
        working = d in listed.workdays or (d.weekday() < 5 and d not in listed.holidays)
        return working, not listed.official
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
