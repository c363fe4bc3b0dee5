"""Applications (办件) for a service, their event log and their uploaded materials.

An application is one applicant's case for one service. A life-event application (一件事) is a
parent whose parts (``bundle_id``) are ordinary applications, one per department. The form and
the materials are JSON documents shaped by the guide (``app.applications.guides``); every state
change is an ``ApplicationEvent``. ``open_draft_key`` is set only while the application is a
draft, so the unique index allows one open draft per applicant, service and company.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_department_state", "department_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    service_code: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    applicant_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    entity_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    subject_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    state: Mapped[str] = mapped_column(String(24))
    open_draft_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    origin: Mapped[str | None] = mapped_column(String(80))
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    materials: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    supplement: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prefilled_count: Mapped[int] = mapped_column(Integer, default=0)
    typed_count: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str | None] = mapped_column(String(16))  # approved | rejected | not_accepted
    decision_reason: Mapped[str | None] = mapped_column(Text)
    rule_outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remaining_days: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApplicationEvent(Base):
    """One step of an application: who (applicant, staff, rule, system), when, what and why."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApplicationUpload(Base):
    """A file the applicant uploaded for a material marked ``upload``; the bytes sit in storage."""

    __tablename__ = "application_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    material_code: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
