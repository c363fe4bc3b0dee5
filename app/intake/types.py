"""The record-type registry every area adds to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow as ma

from app.intake.models import Authority


@dataclass(frozen=True)
class RecordContext:
    authority: Authority
    record_type: str
    record_id: str
    version: int


@dataclass(frozen=True)
class RecordType:
    """``apply`` writes the validated ``data`` into the area's tables, in the batch's transaction.

    It raises ``AppError`` to reject the record (its code becomes the rejection reason).
    """

    name: str
    schema: type[ma.Schema]
    apply: Callable[[RecordContext, dict[str, Any]], None]
    description: str


_types: dict[str, RecordType] = {}


def register(record_type: RecordType) -> RecordType:
    if record_type.name in _types and _types[record_type.name] is not record_type:
        raise ValueError(f"record type {record_type.name} registered twice")
    _types[record_type.name] = record_type
    return record_type


def record_types() -> dict[str, RecordType]:
    from app.intake import catalog  # noqa: F401  (imports every area's types)

    return _types
