from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Person(Base):
    """One person per resident ID number, whether or not they have ever logged in.

    ``account_id`` is set when a resident reaches L2 with the same ID number; records authorities
    sent before that moment (events, certificates, links) hang off the person and so become theirs.
    """

    __tablename__ = "persons"
    # For the date-window scans of push's age rules (app.push.scans).
    __table_args__ = (Index("ix_persons_birth_date", "birth_date", "id"),)
    __encrypted__ = {"id_number_enc": "person.id_number", "name_enc": "person.name"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number_enc: Mapped[str] = mapped_column(String(255))
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name_enc: Mapped[str | None] = mapped_column(String(255))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(8))  # male | female
    area_code: Mapped[str] = mapped_column(String(6))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HouseholdLink(Base):
    """``relative`` is the ``relation`` (parent | child | spouse) of ``person``, as an authority asserted.

    Links are stored in both directions, so "the parents of this child" is one join:
    ``person_id = child AND relation = 'parent'`` → ``relative_id``.
    """

    __tablename__ = "household_links"
    __table_args__ = (UniqueConstraint("person_id", "relative_id", "relation"),
                      Index("ix_household_links_relative", "relative_id", "relation"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    relative_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(16))
    authority_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Address(Base):
    """A person's address of one kind (registered 户籍 or residence 居住); the text is encrypted."""

    __tablename__ = "person_addresses"
    __table_args__ = (UniqueConstraint("person_id", "kind"),)
    __encrypted__ = {"address_enc": "person.address"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # household | residence
    address_enc: Mapped[str] = mapped_column(String(1024))
    area_code: Mapped[str | None] = mapped_column(String(6))
    source: Mapped[str] = mapped_column(String(64))  # authority id, or "self"
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LifeEvent(Base):
    """One entry of a person's timeline. Authority events are keyed by their intake record, so a
    newer version of the record updates the event instead of adding another."""

    __tablename__ = "life_events"
    __table_args__ = (UniqueConstraint("authority_id", "source_record_id"),
                      Index("ix_life_events_person_date", "person_id", "occurred_on", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))  # authority | self
    authority_id: Mapped[str | None] = mapped_column(String(64))
    source_record_id: Mapped[str | None] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
