from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

# Assurance levels (docs/product.md): L0 WeChat only, L1 phone, L2 name + ID verified, L3 face verified
# (or checked in person at a service hall).
L0, L1, L2, L3 = 0, 1, 2, 3
FACE, IN_PERSON = "face", "in_person"  # how L3 was reached


class Account(Base):
    """A resident's account, keyed by (provider, provider user id): for WeChat, our appid's openid.

    Name, ID number and phone are stored encrypted (``*_enc``) with a keyed blind index (``*_hash``)
    for lookup and uniqueness; plaintext never reaches the database.
    """

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("provider", "provider_uid"),)
    # Encrypted columns and their encryption contexts (walked by key rotation).
    __encrypted__ = {"phone_enc": "account.phone", "name_enc": "account.name",
                     "id_number_enc": "account.id_number"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    provider_uid: Mapped[str] = mapped_column(String(64))
    unionid: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_enc: Mapped[str | None] = mapped_column(String(255))
    phone_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    name_enc: Mapped[str | None] = mapped_column(String(255))
    id_number_enc: Mapped[str | None] = mapped_column(String(255))
    id_number_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone_bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    real_name_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When L3 was last established, and how: "face" (WeChat face check) or "in_person" (a hall
    # officer checked the ID card at a service hall). Either lapses after the same L3 age.
    face_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    l3_method: Mapped[str | None] = mapped_column(String(16))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # 长者模式 in the pages (large text, fewer items, high contrast): kept here so it follows the person.
    elder_mode: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def level(self, now: datetime, l3_max_age: timedelta) -> int:
        if self.real_name_verified_at is not None:
            if self.face_verified_at is not None and now - self.face_verified_at < l3_max_age:
                return L3
            return L2
        return L1 if self.phone_hash is not None else L0

    def l3_lapses_at(self, l3_max_age: timedelta) -> datetime | None:
        if self.real_name_verified_at is None or self.face_verified_at is None:
            return None
        return self.face_verified_at + l3_max_age


class AuthSession(Base):
    """One login: a family of rotating refresh tokens with an absolute lifetime."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(32))


class RefreshToken(Base):
    """A refresh token, stored as its SHA-256 only; ``used_at`` is set once, by one UPDATE."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_session", "session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    idle_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The pair this token was exchanged for, sealed under a key derived from this token itself, so
    # that the same client presenting it again within the grace gets the same pair (concurrent
    # refreshes); nobody reading the table can open it. Neither token is stored in plaintext.
    successor_id: Mapped[int | None] = mapped_column(Integer)
    successor_sealed: Mapped[str | None] = mapped_column(Text)
