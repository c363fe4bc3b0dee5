"""The day-before reminder of an appointment, and the end-of-day record of who did not come.

Exactly once, as ``app.push.delivery`` does it: an appointment is claimed by one conditional UPDATE
(``reminded_at`` from NULL) and its outbox event written in the same transaction, so a job run
twice, or by two workers at once, reminds once; the notification's dedupe key holds it again.
A rescheduled appointment is reminded again for its new slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app import clock
from app.audit import log as audit_log
from app.db import session, transactional
from app.halls.catalogue import hall, service_names
from app.halls.models import BOOKED, NO_SHOW, Appointment
from app.halls.slots import local_day
from app.push.outbox import as_payload, emit
from app.queue import HALLS, actor

EVENT = "appointment.reminder"


def appointment_facts(row: Appointment) -> dict:
    target, local = hall(row.hall_code), row.starts_at.astimezone(clock.local_tz())
    return as_payload({"appointment.id": row.id, "appointment.hall_name": target.name,
                       "appointment.hall_address": target.address,
                       "appointment.service_name": service_names().get(row.service_code, row.service_code),
                       "appointment.date": local.date(), "appointment.time": f"{local:%H:%M}"})


def remind_tomorrow() -> int:
    """Remind everyone booked for tomorrow (local) not reminded yet; returns how many were reminded."""
    start, end = local_day(clock.today() + timedelta(days=1))
    due = session().scalars(select(Appointment.id).where(
        Appointment.status == BOOKED, Appointment.reminded_at.is_(None),
        Appointment.starts_at >= start, Appointment.starts_at < end).order_by(Appointment.id)).all()
    return sum(_remind(appointment_id) for appointment_id in due)


@transactional
def _remind(appointment_id: int) -> bool:
    claimed = session().execute(update(Appointment).where(
        Appointment.id == appointment_id, Appointment.reminded_at.is_(None), Appointment.status == BOOKED)
        .values(reminded_at=clock.now()))
    if claimed.rowcount != 1:
        return False
    row = session().get(Appointment, appointment_id, populate_existing=True)
    emit(EVENT, {"facts": appointment_facts(row), "account_ids": [row.account_id]})
    return True


@transactional
def record_no_shows(before: datetime | None = None) -> int:
    """Appointments still booked after their day has ended are recorded as no-shows (by nobody: the sweep)."""
    cutoff = before or local_day(clock.today())[0]
    ids = session().scalars(select(Appointment.id).where(
        Appointment.status == BOOKED, Appointment.starts_at < cutoff)).all()
    if ids:
        session().execute(update(Appointment).where(Appointment.id.in_(ids), Appointment.status == BOOKED)
                          .values(status=NO_SHOW, outcome_at=clock.now()))
        for appointment_id in ids:
            audit_log.record("appointment.no_show", actor=audit_log.SYSTEM, subject_type="appointment",
                             subject_id=appointment_id)
    return len(ids)


@actor(queue_name=HALLS, max_retries=3)
def appointment_reminders() -> None:
    """Hourly: tomorrow's reminders (push holds them through quiet hours) and yesterday's no-shows."""
    record_no_shows()
    remind_tomorrow()
