"""Signed checkpoints of the audit chain, anchored outside the database.

Every few minutes a job appends one line to ``AUDIT_CHECKPOINT_PATH`` (by default a directory of its
own under the instance path; in production a volume the database's writers cannot change, ideally
append-only: ``chattr +a``, a WORM bucket, a log shipper): the number of entries, the head's hash
and the time, signed with the first of ``SIGNING_KEYS`` (Ed25519; all of them verify, so a rotated
key still checks old lines). Someone who rewrites the database then contradicts a signature they
cannot make: a cut tail leaves a checkpoint counting more entries than the log has, and a re-hashed
chain a head that is not the one signed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.audit.log import GENESIS
from app.audit.models import AuditHead
from app.db import session
from app.queue import actor
from app.security.keys import signing_keys
from app.security.signing import b64url, b64url_decode, canonical_json
from config import get_settings

DOMAIN = b"yss audit checkpoint\x00"  # these signatures can never pass for another payload's


@dataclass(frozen=True)
class Checkpoint:
    number: int  # its line in the file, from 1
    count: int
    head: str
    at: str
    problem: str | None = None  # why it cannot be trusted (then count and head mean nothing)


def _payload(count: int, head: str, at: str) -> bytes:
    return DOMAIN + canonical_json({"count": count, "head": head, "at": at})


def checkpoint_file() -> Path:
    return get_settings().audit_checkpoint_file


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = path or checkpoint_file()
    if not path.exists():
        return []
    marks, highest = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(line)
            count, head, at = int(data["count"]), str(data["head"]), str(data["at"])
            signature_ok = signing_keys().verify_bytes(str(data["kid"]), _payload(count, head, at),
                                                       b64url_decode(str(data["sig"])))
        except (ValueError, KeyError, TypeError):
            marks.append(Checkpoint(number, 0, "", "", "is not a checkpoint line"))
            continue
        if not signature_ok:
            marks.append(Checkpoint(number, count, head, at, "its signature does not verify (forged or edited)"))
        elif count < highest:
            marks.append(Checkpoint(number, count, head, at, f"counts {count} entries after one counting {highest}"))
        else:
            highest = count
            marks.append(Checkpoint(number, count, head, at))
    return marks


def write_checkpoint() -> Checkpoint | None:
    """Append a signed checkpoint of the current head; None when the head has not moved since the last."""
    head = session().get(AuditHead, 1, populate_existing=True)
    count, head_hash = (head.last_id, head.last_hash) if head else (0, GENESIS)
    session().rollback()  # end the read: nothing here writes the database
    path = checkpoint_file()
    trusted = [m for m in read_checkpoints(path) if not m.problem]
    if trusted and (trusted[-1].count, trusted[-1].head) == (count, head_hash):
        return None
    at = clock.now().isoformat()
    kid, signature = signing_keys().sign_bytes(_payload(count, head_hash, at))
    line = json.dumps({"count": count, "head": head_hash, "at": at, "kid": kid, "sig": b64url(signature)})
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # One write of one short line with O_APPEND: concurrent writers never interleave within a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return Checkpoint(len(read_checkpoints(path)), count, head_hash, at)


@actor(queue_name="audit", max_retries=3)
def write_audit_checkpoint() -> None:
    write_checkpoint()
