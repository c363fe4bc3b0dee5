"""Licences and their status history.

``state`` is what an authority decided (valid, suspended, revoked, cancelled); ``expiring`` and
``expired`` are derived from ``valid_until`` and the type's renewal window each day (see status.py).
A decision dated after the day it arrives is kept as a ``scheduled`` status change until that day
(register.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

STATES = ("valid", "suspended", "revoked", "cancelled")
# applied: the licence is in (or went through) this state; scheduled: waits for its effective_on;
# superseded: replaced by a later decision before its date, never applied.
CHANGE_STATUSES = ("applied", "scheduled", "superseded")


class Licence(Base):
    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    type_code: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(120))
    authority_id: Mapped[str | None] = mapped_column(String(64))  # the intake authority that issued it
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(20))
    state_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LicenceStatusChange(Base):
    __tablename__ = "licence_status_changes"
    # The periodic job's query: scheduled changes due by today.
    __table_args__ = (Index("ix_licence_status_changes_status_effective_on", "status", "effective_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    effective_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default="applied", server_default="applied")
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
