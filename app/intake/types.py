"""The record-type registry every area adds to, and what the shared ownership checks need of it.

A record that changes something an authority issued (a certificate, a licence, an entity's facts)
declares its ``target``: who owns that thing now and, for catalogued documents, its type
(``certificate:resident_id_card``, ``licence:food_business_licence``). The intake mechanism then
refuses, per record and before anything is written, a record aimed at another authority's thing
(``record_owned_by_other_authority``) or at a document type the authority is not registered for
(``document_type_not_allowed``). The area's ``apply`` writes the owner when it creates the thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
class Target:
    """What one record would change: its owning authority (``None`` while it does not exist yet,
    or for a row older than ownership, which the first permitted authority then claims) and its
    document type, if it is of a catalogued kind."""

    owner: str | None
    document_type: str | None = None


@dataclass(frozen=True)
class RecordType:
    """``apply`` writes the validated ``data`` into the area's tables, in the batch's transaction.

    It raises ``AppError`` to reject the record (its code becomes the rejection reason).
    ``target`` (validated data → ``Target``) makes the record subject to the ownership checks;
    ``document_kind`` ("certificate", "licence") says registration names its types one by one.
    """

    name: str
    schema: type[ma.Schema]
    apply: Callable[[RecordContext, dict[str, Any]], None]
    description: str
    target: Callable[[dict[str, Any]], Target] | None = None
    document_kind: str | None = None


_types: dict[str, RecordType] = {}
_document_kinds: dict[str, Callable[[], Iterable[str]]] = {}


def register(record_type: RecordType) -> RecordType:
    if record_type.name in _types and _types[record_type.name] is not record_type:
        raise ValueError(f"record type {record_type.name} registered twice")
    _types[record_type.name] = record_type
    return record_type


def register_document_kind(kind: str, codes: Callable[[], Iterable[str]]) -> None:
    """A catalogued kind of document (``codes`` gives its catalogue's type codes)."""
    _document_kinds[kind] = codes


def record_types() -> dict[str, RecordType]:
    from app.intake import catalog  # noqa: F401  (imports every area's types)

    return _types


def document_types() -> dict[str, list[str]]:
    """Every document type an authority can be registered for, by kind: ``{"certificate": [...]}``."""
    record_types()
    return {kind: sorted(codes()) for kind, codes in _document_kinds.items()}
