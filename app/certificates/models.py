from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Certificate(Base):
    """One e-certificate in a person's wallet. The number is encrypted with a blind index; the
    ``reference`` is a random opaque handle that QR payloads carry instead of the number."""

    __tablename__ = "certificates"
    # The index serves the date-window scans of push's expiry rules (app.push.scans).
    __table_args__ = (UniqueConstraint("type", "number_hash"),
                      Index("ix_certificates_type_expires_on", "type", "expires_on", "id"))
    __encrypted__ = {"number_enc": "certificate.number", "holder_name_enc": "certificate.holder_name"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    number_enc: Mapped[str] = mapped_column(String(255))
    number_hash: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    holder_name_enc: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str] = mapped_column(String(200))
    authority_id: Mapped[str | None] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CertificateShow(Base):
    """One 亮证: which claims the holder disclosed, and until when the code is good."""

    __tablename__ = "certificate_shows"
    __table_args__ = (Index("ix_certificate_shows_account", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the random show id in the payload
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    disclosed: Mapped[list[str]] = mapped_column(JSON)
    derived: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShowVerification(Base):
    """One online check of a show by a verifier, successful or not."""

    __tablename__ = "show_verifications"
    __table_args__ = (Index("ix_show_verifications_show", "show_id", "verified_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    show_id: Mapped[str] = mapped_column(ForeignKey("certificate_shows.id", ondelete="CASCADE"))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(40))  # ok | show_expired | certificate_revoked | ...
