"""Ratings (好差评) and the rectification cases bad ones open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Rating(Base):
    """A requester's rating of a resolved ticket (one per ticket) or of a service they used.

    ``department_id`` and ``staff_id`` are fixed when rating, so a later transfer or staff change
    does not move the rating between aggregates. ``source`` is ``requester``, or ``default`` for a
    resolved ticket left unrated for 7 days (counted as 基本满意). After its rectification the
    requester may rate once more: ``score`` becomes the new score, ``original_score`` keeps the first.
    ``excluded`` marks a rating an upheld appeal took out of the aggregates. ``held_for_review`` marks a
    rating the burst rule (``app.ratings.bursts``) holds until an admin decides; ``client_key`` is the
    keyed hash of the address it came from, for that rule only.
    """

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(16), default="requester", server_default="requester")
    original_score: Mapped[int | None] = mapped_column(Integer)
    rerated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    held_for_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    client_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RectificationCase(Base):
    """整改: opened by a bad rating for the owning department, due in N working days."""

    __tablename__ = "rectification_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))  # open | appealed | rectified | voided
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))


class RectificationFollowUp(Base):
    __tablename__ = "rectification_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("rectification_cases.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text)


class RatingAppeal(Base):
    """申诉: the owning department contests a bad rating as mistaken or malicious; an admin decides.

    One appeal per case. Upheld: the rating leaves the aggregates and the case is voided.
    Rejected: the case goes back to rectification with its original deadline.
    """

    __tablename__ = "rating_appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("rectification_cases.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision: Mapped[str | None] = mapped_column(String(16))  # upheld | rejected
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
