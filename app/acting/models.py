"""Proxy grants (an adult lets a relative or carer act for them) and the coming of age of a ward.

A grant is held by the *person* it is for (``grantor_person_id``), not by an account: hall staff
may record one for someone who has never used a phone. The grantee is always a verified account.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

VIEW_CERTIFICATES = "view_certificates"
SHOW_CERTIFICATES = "show_certificates"
APPLY_SERVICES = "apply_services"
RECEIVE_REMINDERS = "receive_reminders"
HANDLE_TICKETS = "handle_tickets"
SCOPES = (VIEW_CERTIFICATES, SHOW_CERTIFICATES, APPLY_SERVICES, RECEIVE_REMINDERS, HANDLE_TICKETS)


class ProxyGrant(Base):
    __tablename__ = "proxy_grants"
    __table_args__ = (Index("ix_proxy_grants_grantee", "grantee_account_id", "expires_at"),
                      Index("ix_proxy_grants_grantor", "grantor_person_id", "expires_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grantor_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    grantee_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who recorded it: the grantor themself ("resident", account id) or hall staff ("staff", staff id).
    recorded_by_type: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e.g. the hall, the check made
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(16))  # grantor | grantee | staff

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"


class ComingOfAge(Base):
    """A ward who turned 18: written once, in the transaction that tells them and their parents."""

    __tablename__ = "acting_coming_of_age"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    adult_on: Mapped[date] = mapped_column(Date)
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime())
