"""Licences and their status history.

``state`` is what an authority decided (valid, suspended, revoked, cancelled); ``expiring`` and
``expired`` are derived from ``valid_until`` and the type's renewal window each day (see status.py).
A decision dated after the day it arrives is kept as a ``scheduled`` status change until that day
(register.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app import readcache
from app.db import Base, UTCDateTime
from app.entities.models import Entity, RepresentativeBinding

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


# An entity's licence list is cached for its representative (holdings.py); every commit that changes
# what it shows invalidates it. Here, beside the models, so every process that writes them has it.
def licences_owner(uscc: str) -> str:
    """The ``app.readcache`` owner of an entity's licence list."""
    return f"licences:{uscc.strip().upper()}"


@event.listens_for(Session, "after_flush")
def _changed_rows(flushed: Session, _context: Any) -> None:
    rows = (*flushed.new, *flushed.dirty, *flushed.deleted)
    usccs = {row.uscc for row in rows if isinstance(row, Entity)}
    entity_ids = {row.entity_id for row in rows if isinstance(row, Licence | RepresentativeBinding)}
    licence_ids = {row.licence_id for row in rows if isinstance(row, LicenceStatusChange)}
    if not (usccs or entity_ids or licence_ids):
        return
    connection = flushed.connection()  # Core on the flush's own connection: no autoflush inside a flush
    if licence_ids:
        entity_ids |= set(connection.scalars(select(Licence.entity_id).where(Licence.id.in_(licence_ids))))
    if entity_ids:
        usccs |= set(connection.scalars(select(Entity.uscc).where(Entity.id.in_(entity_ids))))
    readcache.changed_after_commit(flushed, {licences_owner(uscc) for uscc in usccs})
