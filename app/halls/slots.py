"""When a hall can be booked: working days only (``app.workdays``), inside the hall's opening
periods, on whole slots, from the next slot that has not started up to ``book_days_ahead`` days on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.db import session
from app.halls import errors
from app.halls.catalogue import Hall, hall
from app.halls.models import HallSlot
from app.workdays import is_working_day


@dataclass(frozen=True)
class SlotView:
    starts_at: datetime
    ends_at: datetime
    seats: int
    seats_left: int


def local_day(day: date) -> tuple[datetime, datetime]:
    """The instants a local day begins and ends."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=clock.local_tz())
    return start, start + timedelta(days=1)


def slot_starts(target: Hall, day: date) -> list[datetime]:
    """Every slot's start on ``day`` (local), none on a day that is not a working day."""
    if not is_working_day(day)[0]:
        return []
    zone, step = clock.local_tz(), timedelta(minutes=target.slot_minutes)
    starts = []
    for opens, closes in target.opening:
        at, end = datetime.combine(day, opens, tzinfo=zone), datetime.combine(day, closes, tzinfo=zone)
        while at + step <= end:
            starts.append(at)
            at += step
    return starts


def check_bookable(target: Hall, service_code: str, starts_at: datetime) -> int:
    """Refuse a time the hall cannot be booked at; returns the seats (counters) of the slot."""
    seats = target.counters.get(service_code)
    if seats is None:
        raise errors.ServiceNotAtHall(details={"hall": target.code, "service": service_code})
    local = starts_at.astimezone(clock.local_tz())
    if not is_working_day(local.date())[0]:
        raise errors.HallClosed(details={"date": local.date().isoformat()})
    if local not in slot_starts(target, local.date()):
        raise errors.OutsideOpeningHours(details={
            "opening": [f"{a:%H:%M}-{b:%H:%M}" for a, b in target.opening], "slot_minutes": target.slot_minutes})
    if starts_at <= clock.now():
        raise errors.SlotInPast()
    if local.date() > clock.today() + timedelta(days=target.book_days_ahead):
        raise errors.SlotTooFarAhead(details={"book_days_ahead": target.book_days_ahead})
    return seats


def open_slots(hall_code: str, service_code: str, day: date) -> list[SlotView]:
    """The slots of one day for one service, with the seats left; past slots are left out."""
    target = hall(hall_code)
    seats = target.counters.get(service_code)
    if seats is None:
        raise errors.ServiceNotAtHall(details={"hall": hall_code, "service": service_code})
    if day > clock.today() + timedelta(days=target.book_days_ahead):
        return []
    now, length = clock.now(), timedelta(minutes=target.slot_minutes)
    starts = [s for s in slot_starts(target, day) if s > now]
    if not starts:
        return []
    taken = dict(session().execute(select(HallSlot.starts_at, HallSlot.booked).where(
        HallSlot.hall_code == hall_code, HallSlot.service_code == service_code,
        HallSlot.starts_at.between(starts[0], starts[-1]))).all())
    return [SlotView(s, s + length, seats, max(0, seats - taken.get(s, 0))) for s in starts]
