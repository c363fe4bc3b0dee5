"""Appointments (预约): a resident books, sees, reschedules and cancels a slot at a hall; the hall's
officers see the day's list and record who came.

A slot is never double-booked: its row counts the live appointments and a seat is taken by one
conditional UPDATE (``booked < counters``) in the booking's transaction, so of concurrent bookings
of the last seat exactly one wins, on SQLite and PostgreSQL alike; the slot row itself is created
by an insert that skips a conflict, so two first bookings of a slot make one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from app import clock
from app.audit import log as audit_log
from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.db import session, transactional
from app.halls import errors
from app.halls.catalogue import hall, service_names
from app.halls.models import ATTENDED, BOOKED, CANCELLED, NO_SHOW, Appointment, HallSlot
from app.halls.officers import Desk
from app.halls.slots import check_bookable, local_day
from app.identity.accounts import get_account, real_name
from app.identity.sessions import Principal
from app.paging import Page, Window, fetch_page
from app.security.masking import mask_id_number, mask_name
from app.sqlutil import insert_ignoring_conflicts

OUTCOMES = (ATTENDED, NO_SHOW)


@dataclass(frozen=True)
class AppointmentView:
    id: int
    hall_code: str
    hall_name: str
    hall_address: str
    service_code: str
    service_name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    created_at: datetime


@dataclass(frozen=True)
class VisitorView:
    """One line of a hall's day list: who is coming, masked as on a queue screen."""

    appointment: AppointmentView
    name: str
    id_number: str


def _view(row: Appointment) -> AppointmentView:
    target = hall(row.hall_code)
    return AppointmentView(row.id, target.code, target.name, target.address, row.service_code,
                           service_names().get(row.service_code, row.service_code), row.starts_at,
                           row.starts_at + timedelta(minutes=target.slot_minutes), row.status, row.created_at)


def _take_seat(hall_code: str, service_code: str, starts_at: datetime, seats: int) -> int:
    """The slot's id, with one more seat taken; ``slot_full`` when none is left."""
    insert_ignoring_conflicts(HallSlot, [{"hall_code": hall_code, "service_code": service_code,
                                          "starts_at": starts_at, "booked": 0}],
                              ("hall_code", "service_code", "starts_at"))
    slot_id = session().scalars(select(HallSlot.id).where(
        HallSlot.hall_code == hall_code, HallSlot.service_code == service_code,
        HallSlot.starts_at == starts_at)).one()
    taken = session().execute(update(HallSlot).where(HallSlot.id == slot_id, HallSlot.booked < seats)
                              .values(booked=HallSlot.booked + 1))
    if taken.rowcount != 1:
        raise errors.SlotFull(details={"starts_at": starts_at.isoformat()})
    return slot_id


def _free_seat(slot_id: int) -> None:
    session().execute(update(HallSlot).where(HallSlot.id == slot_id, HallSlot.booked > 0)
                      .values(booked=HallSlot.booked - 1))


def _own(principal: Principal, appointment_id: int) -> Appointment:
    row = session().get(Appointment, appointment_id)
    if row is None or row.account_id != principal.account_id:
        raise errors.AppointmentNotFound()
    return row


@transactional
def book(principal: Principal, hall_code: str, service_code: str, starts_at: datetime) -> AppointmentView:
    target = hall(hall_code)
    seats = check_bookable(target, service_code, starts_at)
    live = session().scalars(select(Appointment.id).where(
        Appointment.account_id == principal.account_id, Appointment.service_code == service_code,
        Appointment.status == BOOKED, Appointment.starts_at > clock.now())).first()
    if live is not None:
        raise errors.AppointmentExists(details={"appointment_id": live})
    slot_id = _take_seat(target.code, service_code, starts_at, seats)
    row = Appointment(account_id=principal.account_id, slot_id=slot_id, hall_code=target.code,
                      service_code=service_code, starts_at=starts_at, status=BOOKED, created_at=clock.now())
    session().add(row)
    session().flush()
    audit_log.record("appointment.booked", actor=Actor("resident", str(principal.account_id)),
                     subject_type="appointment", subject_id=row.id,
                     details={"hall_code": target.code, "service": service_code, "starts_at": starts_at.isoformat()})
    return _view(row)


@transactional
def reschedule(principal: Principal, appointment_id: int, starts_at: datetime) -> AppointmentView:
    """Move to another slot of the same hall and service: the new seat is taken before the old one
    is given up, so a full slot leaves the booking as it was."""
    row = _own(principal, appointment_id)
    if row.status != BOOKED:
        raise errors.AppointmentClosed()
    if starts_at == row.starts_at:
        return _view(row)
    seats = check_bookable(hall(row.hall_code), row.service_code, starts_at)
    slot_id = _take_seat(row.hall_code, row.service_code, starts_at, seats)
    _free_seat(row.slot_id)
    previous = row.starts_at
    row.slot_id, row.starts_at, row.reminded_at = slot_id, starts_at, None  # the new day gets its reminder
    audit_log.record("appointment.rescheduled", actor=Actor("resident", str(principal.account_id)),
                     subject_type="appointment", subject_id=row.id,
                     details={"from": previous.isoformat(), "to": starts_at.isoformat()})
    return _view(row)


@transactional
def cancel(principal: Principal, appointment_id: int) -> None:
    row = _own(principal, appointment_id)
    if row.status != BOOKED:
        raise errors.AppointmentClosed()
    row.status, row.cancelled_at = CANCELLED, clock.now()
    _free_seat(row.slot_id)
    audit_log.record("appointment.cancelled", actor=Actor("resident", str(principal.account_id)),
                     subject_type="appointment", subject_id=row.id)


def my_appointments(principal: Principal, window: Window) -> Page[AppointmentView]:
    statement = (select(Appointment).where(Appointment.account_id == principal.account_id)
                 .order_by(Appointment.starts_at.desc(), Appointment.id.desc()))
    return fetch_page(session(), statement, window, _view)


def my_appointment(principal: Principal, appointment_id: int) -> AppointmentView:
    return _view(_own(principal, appointment_id))


@transactional
def day_list(desk: Desk, day: date, window: Window) -> Page[VisitorView]:
    """The hall's appointments on ``day`` (cancelled ones left out), by time; each visitor's masked
    name and ID number is a read of their data, recorded in their data tracker."""
    start, end = local_day(day)
    statement = (select(Appointment).where(Appointment.hall_code == desk.hall.code,
                                           Appointment.starts_at >= start, Appointment.starts_at < end,
                                           Appointment.status != CANCELLED)
                 .order_by(Appointment.starts_at, Appointment.id))
    page = fetch_page(session(), statement, window, lambda row: row)
    items = []
    for row in page.items:
        name, id_number = real_name(get_account(row.account_id)) or ("", "")
        record_read(row.account_id, by=desk.actor, data=["name", "id_number"], purpose="appointment_handling",
                    **desk.refs())
        items.append(VisitorView(_view(row), mask_name(name), mask_id_number(id_number)))
    return Page(items, page.total)


@transactional
def record_outcome(desk: Desk, appointment_id: int, outcome: str) -> AppointmentView:
    """The officer records that the resident came (attended) or did not (no_show), once the slot has begun."""
    row = session().get(Appointment, appointment_id)
    if row is None or row.hall_code != desk.hall.code:
        raise errors.AppointmentNotFound()
    if row.status == CANCELLED:
        raise errors.AppointmentClosed()
    if clock.now() < row.starts_at:
        raise errors.AppointmentNotStarted()
    row.status, row.outcome_at, row.outcome_by = outcome, clock.now(), desk.staff_id
    audit_log.record(f"appointment.{outcome}", actor=desk.actor, subject_type="appointment", subject_id=row.id,
                     details=desk.refs())
    return _view(row)
