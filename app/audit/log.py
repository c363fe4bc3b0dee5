"""Writing and checking the audit log.

Appends happen inside the caller's transaction, so an event and its audit entry commit together.
Each entry's hash is an HMAC-SHA256, under ``AUDIT_CHAIN_KEY`` (configuration, never in the
database), of its fields and the previous hash: whoever can write the database but lacks the key
cannot edit an entry and re-hash what follows. Signed checkpoints of the chain's head, kept outside
the database (``checkpoints``), catch what the key alone cannot: a cut tail with the head moved
back, or a rewrite by someone who has the key. ``verify_chain`` recomputes every hash, compares the
chain with every checkpoint and names each thing that is wrong. Details hold ids and codes, never
plaintext PII.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from app import clock, context
from app.audit.models import AuditEntry, AuditHead
from app.db import session, transactional
from app.sqlutil import insert_rows
from config import get_settings

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    type: str  # resident | staff | authority | system
    id: str | None = None


SYSTEM = Actor("system")


@functools.cache
def _chain_key() -> bytes:
    return get_settings().key_bytes("audit_chain_key")


def entry_digest(body: dict[str, Any]) -> str:
    """The keyed hash of one entry's fields (``_body``), previous hash included."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_chain_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _digest(entry: AuditEntry) -> str:
    return entry_digest(_body(entry))


def _body(entry: AuditEntry) -> dict[str, Any]:
    return {
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


def _locked_head() -> AuditHead:
    s = session()
    # Lock the head first (row lock on PostgreSQL, write lock on SQLite) so appends never fork.
    s.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=AuditHead.last_id))
    head = s.get(AuditHead, 1, populate_existing=True)
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        s.add(head)
        s.flush()
    return head


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
    head = _locked_head()
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


def record_many(action: str, *, actor: Actor, entries: list[tuple[str, str | int, dict[str, Any]]],
                outcome: str = "ok") -> None:
    """Append one entry per (subject type, subject id, details), chained as ``record`` chains them, in
    one INSERT and one head update: a population scan's batch takes the head's lock once, at its end."""
    if not entries:
        return
    s = session()
    head = _locked_head()
    at, request_id = clock.now(), context.request_id.get()
    last_id, last_hash = head.last_id, head.last_hash
    rows = []
    for subject_type, subject_id, details in entries:
        row = {"id": last_id + 1, "at": at, "actor_type": actor.type, "actor_id": actor.id, "action": action,
               "subject_type": subject_type, "subject_id": str(subject_id), "outcome": outcome,
               "request_id": request_id, "details": details, "prev_hash": last_hash}
        row["entry_hash"] = entry_digest({**row, "at": at.isoformat()})
        rows.append(row)
        last_id, last_hash = row["id"], row["entry_hash"]
    insert_rows(AuditEntry.__table__, rows)  # one statement (on PostgreSQL one JSON parameter)
    head.last_id, head.last_hash = last_id, last_hash
    s.flush()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str | None = None
    checkpoints: int = 0  # signed checkpoints the chain agrees with
    problems: tuple[str, ...] = field(default=())  # everything wrong, the first chain break first

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.problems


def verify_chain(batch: int = 1000, checkpoints: list | None = None) -> ChainReport:
    """Recompute the chain and hold it against the signed checkpoints (read from their file unless
    given); a report naming the first broken entry and every problem found."""
    from app.audit import checkpoints as anchor

    marks = anchor.read_checkpoints() if checkpoints is None else checkpoints
    problems = [f"checkpoint {m.number}: {m.problem}" for m in marks if m.problem]
    signed = [m for m in marks if not m.problem]
    by_count: dict[int, list] = {}
    for mark in signed:
        by_count.setdefault(mark.count, []).append(mark)
    checked, first_broken_id, reason, agreed = _walk(batch, by_count, problems)
    if reason and not any(p.startswith(f"entry {first_broken_id}:") for p in problems):
        problems.insert(0, f"entry {first_broken_id}: {reason}")
    highest = max((m.count for m in signed), default=0)
    if first_broken_id is None and highest > checked:
        mark = max(signed, key=lambda m: m.count)
        problems.append(f"checkpoint {mark.number} (signed {mark.at}) recorded {mark.count} entries, "
                        f"the log has {checked}: entries {checked + 1}–{mark.count} were cut off")
        first_broken_id, reason = checked + 1, "cut off after a signed checkpoint"
    return ChainReport(checked, first_broken_id, reason, agreed, tuple(problems))


def _walk(batch: int, by_count: dict[int, list], problems: list[str]) -> tuple[int, int | None, str | None, int]:
    s = session()
    previous, expected_id, checked, last_id, agreed = GENESIS, 1, 0, 0, 0
    while True:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)
                         .limit(batch)).all()
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return checked, expected_id, "missing entry", agreed
            if entry.prev_hash != previous:
                return checked, entry.id, "previous hash does not match", agreed
            if _digest(entry) != entry.entry_hash:
                return checked, entry.id, "entry was altered", agreed
            for mark in by_count.get(entry.id, []):
                if mark.head != entry.entry_hash:
                    problems.append(f"entry {entry.id}: does not match checkpoint {mark.number} (signed "
                                    f"{mark.at}): the log was rewritten at or before this entry")
                    return checked, entry.id, "does not match its checkpoint", agreed
                agreed += 1
            previous, expected_id, checked, last_id = entry.entry_hash, entry.id + 1, checked + 1, entry.id
        s.expunge_all()
    agreed += len(by_count.get(0, []))
    head = s.get(AuditHead, 1)
    if head is not None and head.last_id != checked:
        return checked, checked + 1, "entries after the last one are missing", agreed
    return checked, None, None, agreed


@transactional
def record_failure(action: str, *, actor: Actor, outcome: str, subject_type: str | None = None,
                   subject_id: str | int | None = None, details: dict[str, Any] | None = None) -> None:
    """Audit a refused or failed attempt in a transaction of its own (the attempt's rolled back)."""
    record(action, actor=actor, subject_type=subject_type, subject_id=subject_id, outcome=outcome,
           details=details)
