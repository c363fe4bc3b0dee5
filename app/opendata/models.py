"""Published datasets: the last build of each, row by row (what downloads read)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class PublishedDataset(Base):
    """One dataset's last build: when it was made and how many rows it has."""

    __tablename__ = "open_datasets"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime())
    row_count: Mapped[int] = mapped_column(Integer)


class PublishedRow(Base):
    """One row of a published dataset, already under the negative list (suppressed, no personal field)."""

    __tablename__ = "open_dataset_rows"
    __table_args__ = (Index("ix_open_dataset_rows_dataset_position", "dataset_code", "position", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_code: Mapped[str] = mapped_column(ForeignKey("open_datasets.code", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
