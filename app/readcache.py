"""Cached answers of hot reads, kept in Redis per owner and believed only at the owner's generation.

An owner is whose rows an answer is built from: an account's inbox (``inbox:<account_id>``), an
entity's licences (``licences:<USCC>``). Its answers live in one hash (``rc:<owner>``, a field per
caller and page asked for), each tagged with the owner's
generation (``rc:gen:<owner>``) as read *before* the database was. Any commit that changes the
owner's rows bumps the generation (``changed_after_commit``; ORM changes are found by the owning
capability's session event, bulk statements say so themselves), so an answer computed before a
change is never believed again, even one written back from a read that raced the change.

The lookup joins the request's first Redis round trip (``prefetch``, counted with the rate limits
and the session check): a hit costs no extra round trip and no SQL. While Redis is down every read
goes to the database, and a missed invalidation can only last an entry's 120 seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from app import ratelimit
from app.redis_store import REDIS_UNAVAILABLE, best_effort, exchange, get_redis, note_unavailable

ENTRY_SECONDS = 120
MAX_FIELDS = 64  # answers kept per owner: every page anyone may ask for must not grow a hash without bound
GENERATION_SECONDS = 86_400  # far past any entry's life, so a lapsed generation (0 again) revives none
_FALLBACK = "cached answers are read from the database"


@dataclass(frozen=True)
class Cached:
    value: str | None  # None: not cached, or cached at another generation
    generation: int | None  # None: Redis is down, nothing to write back


_fetched: ContextVar[dict[tuple[str, str], Cached] | None] = ContextVar("readcache_fetched", default=None)
_uncached: ContextVar[bool] = ContextVar("readcache_uncached", default=False)


def _key(owner: str) -> str:
    return f"rc:{owner}"


def _generation_key(owner: str) -> str:
    return f"rc:gen:{owner}"


def _decode(answers: list | None) -> Cached:
    if answers is None:
        return Cached(None, None)
    raw, generation = answers
    current = int(generation or 0)
    tag, _, value = (raw or "").partition("\n")  # "<generation>\n<value>": no second JSON to parse
    return Cached(value if raw and tag == str(current) else None, current)


def prefetch(owner: str, field: str) -> None:
    """Read ``field`` of ``owner`` in the request's next round trip to Redis (``ratelimit.with_limits``)."""
    fetched: dict[tuple[str, str], Cached] = {}
    _fetched.set(fetched)  # what an earlier request on this thread fetched is never this one's
    _uncached.set(False)

    def receive(answers: list | None) -> None:
        fetched[(owner, field)] = _decode(answers)

    ratelimit.defer_reads(ratelimit.Reads(_reads(owner, field), receive))


def _reads(owner: str, field: str) -> tuple[tuple[str, ...], ...]:
    """The commands that read ``field`` of ``owner``'s answers and the owner's generation."""
    return ("HGET", _key(owner), field), ("GET", _generation_key(owner))


def lookup(owner: str, field: str) -> Cached:
    """The cached answer (prefetched, or read now) and the generation to store a fresh one under."""
    found = (_fetched.get() or {}).pop((owner, field), None)
    if found is not None:
        return found
    try:
        return _decode(exchange(_reads(owner, field)))
    except REDIS_UNAVAILABLE as error:
        note_unavailable(_FALLBACK, error)
        return Cached(None, None)


def keep_uncached() -> None:
    """This request's answer must not be kept: it rests on something no owner's generation follows
    (an agent's grant, which lapses by itself and whose every use is audited)."""
    _uncached.set(True)


def store(owner: str, field: str, value: str, generation: int | None) -> None:
    """Keep ``value`` as ``owner``'s answer for ``field``, as of ``generation`` (read before the database)."""
    if generation is None or _uncached.get():
        return
    with best_effort(_FALLBACK):
        pipe = get_redis().pipeline(transaction=False)
        pipe.hset(_key(owner), field, f"{generation}\n{value}")
        pipe.expire(_key(owner), ENTRY_SECONDS)
        pipe.hlen(_key(owner))
        if pipe.execute()[-1] > MAX_FIELDS:  # pages asked for without end (or old days' ones): start over
            get_redis().delete(_key(owner))


def invalidate(owners: Iterable[str]) -> None:
    """Every cached answer of these owners stops counting now."""
    owners = sorted(set(owners))
    if not owners:
        return
    with best_effort(f"cached answers expire by themselves within {ENTRY_SECONDS} s"):
        pipe = get_redis().pipeline(transaction=False)
        for owner in owners:
            pipe.incr(_generation_key(owner))
            pipe.expire(_generation_key(owner), GENERATION_SECONDS)
            pipe.delete(_key(owner))
        pipe.execute()


def changed_after_commit(session: Session, owners: Iterable[str]) -> None:
    """These owners' rows changed in ``session``'s transaction: invalidate once it commits."""
    session.info.setdefault("readcache_changed", set()).update(owners)


@event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session: Session) -> None:
    invalidate(session.info.pop("readcache_changed", set()))


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("readcache_changed", None)
