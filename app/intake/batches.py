"""Batch upsert: up to 1,000 records a request, idempotent per (authority, type, record id, version).

Each record is applied in a savepoint of the batch's transaction, so a bad record is rejected on
its own and the good ones land. A re-sent batch changes nothing: every record comes back
``unchanged``. Whatever a record type writes (including outbox events) commits with its record.

Ownership is checked here, once for every record type that declares a ``target``
(``app.intake.types``): a record aimed at what another authority issued, or at a document type the
authority is not registered for, is rejected on its own and changes nothing.

``ingest_batch`` is the one path by which anything an authority issues enters yss: the HTTP batch
calls it, and so may yss's own services acting as a department's authority (a 办事 approval issuing
its result), inside their own transaction: ``ingest_batch(find_authority("gd-gat"), [record])``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from sqlalchemy import func, select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import AppError
from app.intake import errors
from app.intake.models import Authority, IntakeRecord
from app.intake.types import RecordContext, RecordType, record_types
from app.text import refused_text

MAX_BATCH = 1000


@dataclass
class RecordResult:
    index: int
    record_type: str | None
    record_id: str | None
    version: int | None
    status: str  # accepted | unchanged | rejected
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def payload_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transactional
def ingest_batch(authority: Authority, records: list[dict[str, Any]]) -> list[RecordResult]:
    if len(records) > MAX_BATCH:
        raise errors.BatchTooLarge(details={"max": MAX_BATCH, "received": len(records)})
    results = [_ingest_one(authority, index, record) for index, record in enumerate(records)]
    counts = {s: sum(r.status == s for r in results) for s in ("accepted", "unchanged", "rejected")}
    audit_log.record("intake.batch", actor=Actor("authority", authority.id), details=counts)
    return results


def _ingest_one(authority: Authority, index: int, record: dict[str, Any]) -> RecordResult:
    record_type, record_id, version = record.get("type"), record.get("id"), record.get("version")
    result = RecordResult(index, record_type if isinstance(record_type, str) else None,
                          str(record_id) if isinstance(record_id, str | int) else None,
                          version if isinstance(version, int) else None, "rejected")
    if result.record_type is None or result.record_id is None or result.version is None \
            or not 1 <= len(result.record_id) <= 128 or result.version < 1 \
            or not isinstance(record.get("data"), dict):
        result.reason = "malformed_record"
        result.details = {"expected": "{type, id (≤128), version (≥1), data: {...}}"}
        return result
    if problems := refused_text(record["data"]):  # the HTTP batch refuses these whole; direct callers per record
        result.reason = "invalid_data"
        result.details = {"fields": problems}
        return result
    types = record_types()
    if record_type not in types:
        result.reason = "unknown_type"
        return result
    if record_type not in authority.record_types:
        result.reason = "type_not_allowed"
        return result

    s = session()
    digest = payload_hash(record["data"])
    key = (IntakeRecord.authority_id == authority.id, IntakeRecord.record_type == record_type,
           IntakeRecord.record_id == result.record_id)
    same = s.scalars(select(IntakeRecord).where(*key, IntakeRecord.version == version)).first()
    if same is not None:
        if same.payload_hash == digest:
            result.status = "unchanged"
        else:
            result.reason = "version_conflict"
        return result
    latest = s.scalar(select(func.max(IntakeRecord.version)).where(*key))
    if latest is not None and latest > version:
        result.reason = "stale_version"
        result.details = {"latest_version": latest}
        return result

    kind = types[record_type]
    try:
        data = kind.schema().load(record["data"])
    except ma.ValidationError as error:
        result.reason = "invalid_data"
        result.details = {"fields": error.messages}
        return result
    context = RecordContext(authority, record_type, result.record_id, version)
    try:
        with s.begin_nested():
            check_ownership(authority, kind, data)
            kind.apply(context, data)
            s.add(IntakeRecord(authority_id=authority.id, record_type=record_type,
                               record_id=result.record_id, version=version, payload_hash=digest,
                               received_at=clock.now()))
            s.flush()
    except AppError as error:
        result.reason = error.code
        result.details = error.details
        return result
    result.status = "accepted"
    return result


def check_ownership(authority: Authority, kind: RecordType, data: dict[str, Any]) -> None:
    """Refuse a record aimed at another authority's record, or at a document type not registered for."""
    if kind.target is None:
        return
    target = kind.target(data)
    if target.document_type is not None and target.document_type not in (authority.document_types or []):
        raise errors.DocumentTypeNotAllowed(details={"document_type": target.document_type})
    if target.owner is not None and target.owner != authority.id:
        raise errors.RecordOwnedByOtherAuthority()
