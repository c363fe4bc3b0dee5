"""Factories for hall officers and bookable slots."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app import clock
from app.audit.log import SYSTEM
from app.halls.catalogue import hall
from app.halls.officers import assign_officer
from app.halls.slots import slot_starts
from app.staff.models import HALL_OFFICER
from app.workdays import is_working_day
from tests.support.staff import StaffUser, create_staff_member, load_demo_catalogue

TIANHE, FUTIAN = "gz-tianhe", "sz-futian"
ID_CARD = "gd-gat-sfz-hl"  # two counters at 天河, three at 福田
ID_CARD_REISSUE = "gd-gat-sfz-bl"  # one counter at 天河 only


def hall_officer(hall_code: str = TIANHE, *, log_in: bool = True) -> StaffUser:
    load_demo_catalogue()
    officer = create_staff_member(role=HALL_OFFICER, departments=("gd-gat",), log_in=log_in)
    assign_officer(officer.id, hall_code, by=SYSTEM)
    return officer


def next_working_day(after: date | None = None, *, skip: int = 0) -> date:
    """The first working day after ``after`` (today by default), then ``skip`` more."""
    day = after or clock.today()
    while True:
        day += timedelta(days=1)
        if is_working_day(day)[0]:
            if skip == 0:
                return day
            skip -= 1


def next_closed_day(after: date | None = None, *, weekday_only: bool = False) -> date:
    """The first day after ``after`` that is no working day (a public holiday if ``weekday_only``)."""
    day = after or clock.today()
    for _ in range(800):
        day += timedelta(days=1)
        if not is_working_day(day)[0] and (not weekday_only or day.weekday() < 5):
            return day
    raise AssertionError("no closed day found in the calendar")


def slot(day: date, index: int = 0, hall_code: str = TIANHE) -> datetime:
    return slot_starts(hall(hall_code), day)[index]


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.local_tz())
