"""Push: the inbox (notifications), their WeChat deliveries, preferences, consent, the event outbox.

A notification is written once per (recipient, dedupe key): the unique constraint is what makes a
repeated scan or a replayed event harmless. Its WeChat delivery is a row of its own whose state a
worker moves with conditional UPDATEs (see delivery.py), so a job run twice never sends twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

CONSENT_STATUSES = ("accept", "reject", "ban", "filter")


class Notification(Base):
    __tablename__ = "push_notifications"
    __table_args__ = (
        UniqueConstraint("recipient_account_id", "dedupe_key"),
        Index("ix_push_notifications_recipient_read", "recipient_account_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    rule_id: Mapped[str | None] = mapped_column(String(64), index=True)
    rule_version: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer, default=5)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(String(300))
    why: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Delivery(Base):
    """The WeChat subscribe-message delivery of one notification."""

    __tablename__ = "push_deliveries"
    __table_args__ = (Index("ix_push_deliveries_state_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("push_notifications.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="wechat")
    template_id: Mapped[str] = mapped_column(String(128))
    template_kind: Mapped[str] = mapped_column(String(16))  # one_time | long_term
    data: Mapped[dict[str, str]] = mapped_column(JSON)
    page: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    msgid: Mapped[str | None] = mapped_column(String(64), index=True)  # WeChat's sent reports look it up
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Preference(Base):
    __tablename__ = "push_preferences"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    disabled_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    daily_cap: Mapped[int] = mapped_column(Integer, default=3)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DailyCount(Base):
    """WeChat messages asked for on one Asia/Shanghai day by one person's notifications (the first N get a slot)."""

    __tablename__ = "push_daily_counts"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Consent(Base):
    """Subscribe-message consent of one person for one template; one-time templates hold credits."""

    __tablename__ = "push_consents"
    __table_args__ = (UniqueConstraint("account_id", "template_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    template_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    credits: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16))  # client | wechat_event | send_result
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxEvent(Base):
    """An event written in its cause's transaction; turned into notifications exactly once."""

    __tablename__ = "push_outbox"
    __table_args__ = (Index("ix_push_outbox_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SentReport(Base):
    """WeChat's own word that it sent a subscribe message (``subscribe_msg_sent_event``).

    Kept so the delivery sweep can settle a send whose worker died mid-call: WeChat's report, not
    our lost response, then says whether it went out (``app.push.reports``).
    """

    __tablename__ = "push_sent_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    msgid: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[str] = mapped_column(String(128))
    error_code: Mapped[int] = mapped_column(Integer)
    error_status: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("push_deliveries.id", ondelete="SET NULL"),
                                                    index=True)


class ReceivedMessage(Base):
    """A message WeChat pushed to us, once per its own identity (see ``wechat_messages.message_key``):
    WeChat retries a push it thinks failed, and each retry must change nothing."""

    __tablename__ = "push_wechat_messages"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
