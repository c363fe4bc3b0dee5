from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Certificate(Base):
    """One e-certificate in a person's wallet. The number is encrypted with a blind index; the
    ``reference`` is a random opaque handle (never shown to verifiers)."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("type", "number_hash"),)
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


class DeviceKey(Base):
    """A resident's device key (ES256, P-256 public JWK), registered when a credential is issued to it.
    The private key never leaves the page that made it (WebCrypto, non-extractable)."""

    __tablename__ = "device_keys"
    __table_args__ = (UniqueConstraint("account_id", "thumbprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    thumbprint: Mapped[str] = mapped_column(String(64))  # RFC 7638 JWK thumbprint, base64url SHA-256
    jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Credential(Base):
    """One SD-JWT issued for a certificate to a device key, and its index in the status list.

    Its status bit is set while the certificate is revoked, or once a newer credential for the same
    certificate superseded it (a new device, or a re-issue), so a lost phone's copy stops verifying."""

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("status_list", "status_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    device_key_id: Mapped[int] = mapped_column(ForeignKey("device_keys.id", ondelete="CASCADE"), index=True)
    status_list: Mapped[int] = mapped_column(Integer)
    status_index: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
