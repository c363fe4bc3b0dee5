"""Writing and checking the audit log.

Appends happen inside the caller's transaction, so an event and its audit entry commit together.
Each entry's hash covers its fields and the previous hash; ``verify_chain`` recomputes them all
and names the first row that does not match. Details hold ids and codes, never plaintext PII.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from app import clock, context
from app.audit.models import AuditEntry, AuditHead
from app.db import session, transactional

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    type: str  # resident | staff | authority | system
    id: str | None = None


SYSTEM = Actor("system")


def _digest(entry: AuditEntry) -> str:
    body = {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor_type": entry.actor_type,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "outcome": entry.outcome,
        "request_id": entry.request_id,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    action: str,
    *,
    actor: Actor,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    s = session()
    # Lock the head first (row lock on PostgreSQL, write lock on SQLite) so appends never fork.
    s.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=AuditHead.last_id))
    head = s.get(AuditHead, 1, populate_existing=True)
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        s.add(head)
        s.flush()
    entry = AuditEntry(
        id=head.last_id + 1,
        at=clock.now(),
        actor_type=actor.type,
        actor_id=actor.id,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        outcome=outcome,
        request_id=context.request_id.get(),
        details=details or {},
        prev_hash=head.last_hash,
    )
    entry.entry_hash = _digest(entry)
    s.add(entry)
    head.last_id, head.last_hash = entry.id, entry.entry_hash
    s.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch: int = 1000) -> ChainReport:
    s = session()
    previous, expected_id, checked, last_id = GENESIS, 1, 0, 0
    while True:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)
                         .limit(batch)).all()
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return ChainReport(checked, expected_id, "missing entry")
            if entry.prev_hash != previous:
                return ChainReport(checked, entry.id, "previous hash does not match")
            if _digest(entry) != entry.entry_hash:
                return ChainReport(checked, entry.id, "entry was altered")
            previous, expected_id, checked, last_id = entry.entry_hash, entry.id + 1, checked + 1, entry.id
        s.expunge_all()
    head = s.get(AuditHead, 1)
    if head is not None and head.last_id != checked:
        return ChainReport(checked, checked + 1, "entries after the last one are missing")
    return ChainReport(checked, None)


@transactional
def record_failure(action: str, *, actor: Actor, outcome: str, subject_type: str | None = None,
                   subject_id: str | int | None = None, details: dict[str, Any] | None = None) -> None:
    """Audit a refused or failed attempt in a transaction of its own (the attempt's rolled back)."""
    record(action, actor=actor, subject_type=subject_type, subject_id=subject_id, outcome=outcome,
           details=details)
