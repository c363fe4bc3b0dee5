"""Hall officers, appointment slots and appointments. Halls themselves are data
(``config/catalogues/halls.toml``), named here by their code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

BOOKED, CANCELLED, ATTENDED, NO_SHOW = "booked", "cancelled", "attended", "no_show"
STATUSES = (BOOKED, CANCELLED, ATTENDED, NO_SHOW)


class HallOfficer(Base):
    """A staff member with the hall officer role works at exactly one hall."""

    __tablename__ = "hall_officers"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(32), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HallSlot(Base):
    """One bookable time at one hall for one service; ``booked`` counts its live appointments.

    A seat is taken by one conditional UPDATE (``booked < counters``), so concurrent bookings of
    the last seat cannot both win, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "hall_slots"
    __table_args__ = (UniqueConstraint("hall_code", "service_code", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    service_code: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_hall_starts", "hall_code", "starts_at"),
                      Index("ix_appointments_status_starts", "status", "starts_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("hall_slots.id"), index=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    service_code: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who recorded attended / no_show: a hall officer's staff id, or None for the end-of-day sweep.
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    # Set by the one conditional UPDATE that claims the day-before reminder.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
