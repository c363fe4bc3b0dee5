"""Legal entities, their lifecycle, who acts for them (representative bindings, agent grants), annual reports.

The legal representative is held as the blind index of their ID number (to recognise them when
they bind) plus their name encrypted and masked for display; their ID number is never stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

STAGES = ("establishment", "operating", "in_liquidation", "deregistered")
SCOPES = ("view_licences", "manage_tickets", "receive_notifications", "apply_services")
MANAGE_AGENTS = "manage_agents"  # held by the legal representative and company administrators only


class Entity(Base):
    __tablename__ = "entities"
    __encrypted__ = {"representative_name_enc": "entity.representative_name"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(60))
    registered_address: Mapped[str] = mapped_column(String(300))
    representative_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    representative_name_enc: Mapped[str | None] = mapped_column(String(255))
    representative_name_masked: Mapped[str | None] = mapped_column(String(60))
    authority_id: Mapped[str | None] = mapped_column(String(64))  # the registering authority: it alone updates
    stage: Mapped[str] = mapped_column(String(20))
    stage_since: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntityStageChange(Base):
    __tablename__ = "entity_stage_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RepresentativeBinding(Base):
    """A resident bound as an entity's legal representative, from binding until the registry names another."""

    __tablename__ = "entity_representative_bindings"
    __table_args__ = (Index("ix_entity_bindings_account_active", "account_id", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(60))


class AgentGrant(Base):
    """Scoped, expiring authority an entity gives a verified resident (经办人); a grant that also holds
    ``manage_agents`` is a company administrator's (企业管理员)."""

    __tablename__ = "entity_agent_grants"
    __table_args__ = (Index("ix_entity_agent_grants_agent", "agent_account_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    agent_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    granted_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    # An administrator's grant is suspended when the legal representative changes (README, companies).
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.suspended_at is not None:
            return "suspended"
        return "expired" if self.expires_at <= now else "active"


class AnnualReport(Base):
    __tablename__ = "entity_annual_reports"
    __table_args__ = (UniqueConstraint("entity_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    submitted_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
