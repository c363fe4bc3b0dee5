"""Relying parties, residents' consents to them, and the tokens issued to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class OidcClient(Base):
    """A department or city app that logs residents in with yss. ``claims`` maps each claim it may
    ask for to {"purpose": why, "optional": whether the resident may decline it}."""

    __tablename__ = "oidc_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64))  # None: a public client (PKCE only)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100))
    logo_text: Mapped[str] = mapped_column(String(8))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    claims: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    min_level: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OidcConsent(Base):
    """What a resident agreed to share with one client; revoked consents are kept, dated."""

    __tablename__ = "oidc_consents"
    __table_args__ = (UniqueConstraint("account_id", "client_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oidc_clients.id", ondelete="CASCADE"), index=True)
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)
    declined: Mapped[list[str]] = mapped_column(JSON, default=list)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OidcToken(Base):
    """An access token (and its refresh token) issued to a client; only hashes are stored."""

    __tablename__ = "oidc_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oidc_clients.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), index=True)  # revoked if the code is replayed
    scope: Mapped[str] = mapped_column(String(500))
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)
    acr: Mapped[str] = mapped_column(String(16))
    auth_time: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refresh_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
