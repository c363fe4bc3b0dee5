"""Tickets (工单), their event log and their message thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Ticket(Base):
    """A request from a resident (or, later, for an entity: ``entity_uscc``) to a department.

    Deadlines are fixed when the ticket is opened (working days, see ``app.tickets.sla``);
    ``sla_estimated`` says a deadline was counted over a year without official holiday data.
    """

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_department_state", "department_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    entity_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    contact_preference: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_due: Mapped[datetime] = mapped_column(UTCDateTime())
    sla_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TicketEvent(Base):
    """One line of a ticket's history: every transition, assignment, transfer and notice."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_type: Mapped[str] = mapped_column(String(16))  # requester | staff | system
    actor_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TicketMessage(Base):
    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    author_type: Mapped[str] = mapped_column(String(16))  # requester | staff
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    body: Mapped[str] = mapped_column(Text)
