from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Authority(Base):
    """A registered issuing authority: its id, its (encrypted) signing secret, the record types it may
    send and the document types (``certificate:<code>``, ``licence:<code>``) it may issue."""

    __tablename__ = "intake_authorities"
    __encrypted__ = {"secret_enc": "authority.secret"}

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_enc: Mapped[str] = mapped_column(String(255))
    record_types: Mapped[list[str]] = mapped_column(JSON)
    document_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IntakeRecord(Base):
    """Every version of every record an authority sent, for idempotency and provenance."""

    __tablename__ = "intake_records"
    __table_args__ = (
        UniqueConstraint("authority_id", "record_type", "record_id", "version"),
        Index("ix_intake_records_latest", "authority_id", "record_type", "record_id", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    authority_id: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer)
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
