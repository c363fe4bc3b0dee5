"""Per-person push preferences: categories on/off, quiet hours, the daily WeChat cap.

Quiet hours and the cap apply to WeChat only; the inbox always gets the notification at once.
Times are Asia/Shanghai (the configured business time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app import clock
from app.db import session, transactional
from app.push import errors
from app.push.models import DailyCount, Preference
from app.push.rules import CATEGORIES
from app.sqlutil import add_counts, among

DEFAULT_QUIET = ("22:00", "08:00")
DEFAULT_DAILY_CAP = 3
MAX_DAILY_CAP = 10


@dataclass(frozen=True)
class Preferences:
    disabled_categories: tuple[str, ...] = ()
    quiet_start: str = DEFAULT_QUIET[0]
    quiet_end: str = DEFAULT_QUIET[1]
    daily_cap: int = DEFAULT_DAILY_CAP

    def as_dict(self) -> dict:
        return {"categories": {c: c not in self.disabled_categories for c in CATEGORIES},
                "quiet_hours": {"start": self.quiet_start, "end": self.quiet_end}, "daily_cap": self.daily_cap}


def _clock_time(text: str) -> time:
    return time.fromisoformat(text)


def quiet_until(prefs: Preferences, at: datetime) -> datetime | None:
    """The end of the quiet window ``at`` falls in (aware UTC), or None outside it."""
    local = at.astimezone(clock.local_tz())
    start, end = _clock_time(prefs.quiet_start), _clock_time(prefs.quiet_end)
    now_t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    inside = (start <= now_t or now_t < end) if start > end else (start <= now_t < end)
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if start > end and now_t >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=clock.local_tz()).astimezone(at.tzinfo)


def preferences_of(account_ids: list[int]) -> dict[int, Preferences]:
    if not account_ids:
        return {}
    rows = session().scalars(select(Preference).where(among(Preference.account_id, account_ids)))
    found = {p.account_id: Preferences(tuple(p.disabled_categories), p.quiet_start, p.quiet_end, p.daily_cap)
             for p in rows}
    return {a: found.get(a, Preferences()) for a in account_ids}


def my_preferences(account_id: int) -> dict:
    return preferences_of([account_id])[account_id].as_dict()


@transactional
def update_preferences(account_id: int, *, categories: dict[str, bool] | None = None,
                       quiet_hours: dict[str, str] | None = None, daily_cap: int | None = None) -> dict:
    row = session().get(Preference, account_id)
    if row is None:
        row = Preference(account_id=account_id, disabled_categories=[], quiet_start=DEFAULT_QUIET[0],
                         quiet_end=DEFAULT_QUIET[1], daily_cap=DEFAULT_DAILY_CAP, updated_at=clock.now())
        session().add(row)
    if categories:
        unknown = sorted(set(categories) - set(CATEGORIES))
        if unknown:
            raise errors.UnknownCategory(details={"categories": unknown})
        disabled = set(row.disabled_categories or [])
        for name, on in categories.items():
            (disabled.discard if on else disabled.add)(name)
        row.disabled_categories = sorted(disabled)
    if quiet_hours:
        row.quiet_start, row.quiet_end = quiet_hours["start"], quiet_hours["end"]
    if daily_cap is not None:
        row.daily_cap = daily_cap
    row.updated_at = clock.now()
    session().flush()
    return my_preferences(account_id)


def reserve_daily_slot(account_id: int, day: date, cap: int) -> bool:
    """Take one of the person's WeChat messages for ``day``; False once the cap is reached."""
    return reserve_daily_slots({(account_id, day): (1, cap)})[(account_id, day)] == 1


def reserve_daily_slots(wanted: dict[tuple[int, date], tuple[int, int]]) -> dict[tuple[int, date], int]:
    """Take slots for many people at once: {(account, day): (messages wanted, cap)} → slots granted.

    One upsert for the whole batch adds what each person's messages ask for to their day's count and
    returns the new count; the row lock orders concurrent writers, so ``new - wanted`` is exactly what
    was asked before, and the first ``cap`` messages asked for on a day are the ones that get a slot.
    (The count is therefore the messages asked for that day, which may pass the cap.)
    """
    rows = [{"account_id": a, "day": d, "count": n} for (a, d), (n, _cap) in wanted.items()]
    granted = {}
    for row in add_counts(DailyCount, rows, ("account_id", "day"), "count",
                          (DailyCount.account_id, DailyCount.day, DailyCount.count)):
        n, cap = wanted[(row.account_id, row.day)]
        granted[(row.account_id, row.day)] = max(0, min(n, cap - (row.count - n)))
    return granted
