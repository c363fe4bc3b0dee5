"""The session check answered from Redis: one round trip per request, invalidated at once.

Why Redis and not process memory: every API process must see a logout, a revoke-all, a disabled
account or a new assurance level on its very next request, and Redis is already the one store every
process shares (rate limits, one-time codes). The round trip carries the request's rate-limit
counters too (``ratelimit.with_limits``), so a hit costs one round trip and no SQL.

An entry (``auth:session:<sid>``, 120 s) records a live session of an enabled account and a snapshot
of the account (its level's inputs, its display setting, its PII still encrypted), so a hit answers
``/me`` with no SQL; it is written only on a miss. Each account has a generation
(``auth:gen:<account_id>``): any change to the account's or a session's row bumps it after the
commit (a session event, so no use case can forget), and an entry counts only while it carries the
current generation. An entry written from a read that raced a change carries the generation seen
before that read, so it is never believed. While Redis is down the check reads the database.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app import ratelimit
from app.identity.models import Account, AuthSession
from app.redis_store import best_effort, get_redis

ENTRY_SECONDS = 120
GENERATION_SECONDS = 86_400  # far past any entry's life, so a lapsed generation (0 again) revives none
_FALLBACK = "the session check reads the database"


def entry_key(session_id: str) -> str:
    return f"auth:session:{session_id}"


def generation_key(account_id: int | str) -> str:
    return f"auth:gen:{account_id}"


@dataclass(frozen=True)
class AccountSnapshot:
    """What a request reads of its own account, cached with the session so that ``/me`` needs no SQL.

    PII stays as the database holds it, encrypted (``*_enc``); of the phone's blind index only
    whether there is one. ``level`` and ``l3_lapses_at`` are ``Account``'s own, so both compute alike.
    Frozen: a use case that changes the account loads its row (``get_account``)."""

    id: int
    phone_hash: str | None  # "1" when a phone is bound
    real_name_verified_at: datetime | None
    face_verified_at: datetime | None
    l3_method: str | None
    created_at: datetime
    elder_mode: bool
    phone_enc: str | None
    name_enc: str | None
    id_number_enc: str | None

    level = Account.level
    l3_lapses_at = Account.l3_lapses_at

    @classmethod
    def of(cls, account: Account) -> AccountSnapshot:
        return cls(account.id, "1" if account.phone_hash else None, account.real_name_verified_at,
                   account.face_verified_at, account.l3_method, account.created_at, bool(account.elder_mode),
                   account.phone_enc, account.name_enc, account.id_number_enc)


@dataclass(frozen=True)
class Lookup:
    account: AccountSnapshot | None  # None: not cached (or Redis is down)
    generation: int | None  # None: Redis is down, nothing to write back


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def lookup(session_id: str, account_id: str) -> Lookup:
    """The cached account of a live session, counting the request's pending rate limits in the same
    round trip (a limit passed raises ``RateLimited`` here)."""
    results = ratelimit.with_limits(reads=(("MGET", entry_key(session_id), generation_key(account_id)),))
    if results is None:
        return Lookup(None, None)
    raw, generation = results[0]
    current = int(generation or 0)
    if raw is None:
        return Lookup(None, current)
    entry_generation, account = _parsed(raw)
    if entry_generation != current or str(account.id) != account_id:
        return Lookup(None, current)
    return Lookup(account, current)


@functools.lru_cache(maxsize=4096)
def _parsed(raw: str) -> tuple[int, AccountSnapshot]:
    """An entry as read back (the same entry is read on every request of its session: parse it once)."""
    entry = json.loads(raw)
    return entry["g"], AccountSnapshot(entry["a"], entry["p"], _time(entry["r"]), _time(entry["f"]), entry["m"],
                                       datetime.fromisoformat(entry["c"]), entry["e"], entry["pe"], entry["ne"],
                                       entry["ie"])


def remember(session_id: str, account: Account, generation: int | None) -> None:
    """Cache a live session's account, as of ``generation`` (read before the database was)."""
    if generation is None:
        return
    snap = AccountSnapshot.of(account)
    entry = {"g": generation, "a": snap.id, "p": snap.phone_hash,
             "r": snap.real_name_verified_at and snap.real_name_verified_at.isoformat(),
             "f": snap.face_verified_at and snap.face_verified_at.isoformat(), "m": snap.l3_method,
             "c": snap.created_at.isoformat(), "e": snap.elder_mode, "pe": snap.phone_enc, "ne": snap.name_enc,
             "ie": snap.id_number_enc}
    with best_effort(_FALLBACK):
        get_redis().set(entry_key(session_id), json.dumps(entry), ex=ENTRY_SECONDS)


def invalidate(account_ids: set[int]) -> None:
    """Every cached session of these accounts stops counting now."""
    if not account_ids:
        return
    with best_effort("cached session checks expire by themselves"):
        pipe = get_redis().pipeline(transaction=False)
        for account_id in sorted(account_ids):
            pipe.incr(generation_key(account_id))
            pipe.expire(generation_key(account_id), GENERATION_SECONDS)
        pipe.execute()


def invalidate_after_commit(session: Session, account_ids: set[int]) -> None:
    """For changes the ORM does not see (bulk UPDATEs of sessions): bump once the commit is done."""
    session.info.setdefault("auth_changed", set()).update(account_ids)


@event.listens_for(Session, "after_flush")
def _changed_rows(session: Session, _context: Any) -> None:
    changed = {obj.id for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, Account)}
    changed |= {obj.account_id for obj in (*session.new, *session.dirty, *session.deleted)
                if isinstance(obj, AuthSession) and obj not in session.new}
    if changed:
        invalidate_after_commit(session, changed)


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    invalidate(session.info.pop("auth_changed", set()))


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("auth_changed", None)
