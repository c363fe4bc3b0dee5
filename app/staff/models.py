"""Departments, the service catalogue (事项) they own, and the staff who work in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

AGENT, SUPERVISOR, ADMIN = "agent", "supervisor", "admin"
# A hall officer (窗口工作人员) works at one service hall (app/halls) and ranks below an agent: no
# ticket queue, no admin, and their hall powers need the role itself *and* their own hall.
HALL_OFFICER = "hall_officer"
# A role includes the powers of those ranked below it.
ROLE_RANK = {HALL_OFFICER: 0, AGENT: 1, SUPERVISOR: 2, ADMIN: 3}


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))  # province | city
    region: Mapped[str] = mapped_column(String(32))


class Service(Base):
    """A government service (事项), owned by one department."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)


class StaffMember(Base):
    """A staff account: scrypt password, mandatory TOTP (secret encrypted), lockout counters.

    ``totp_last_step`` is the last accepted time-step counter: a code is accepted only for a greater
    step, so a code seen once cannot be replayed (RFC 6238 §5.2).
    """

    __tablename__ = "staff_members"
    __encrypted__ = {"totp_secret_enc": "staff.totp_secret"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret_enc: Mapped[str] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffDepartment(Base):
    __tablename__ = "staff_departments"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"),
                                               primary_key=True)


class StaffSession(Base):
    """One staff login; its token carries the id and every request checks the row is live."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
