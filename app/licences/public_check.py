"""The public licence check: anyone, no login, by licence number (optionally with the holder's code).

Answers carry public fields only — the holder's name and code, the licence type, issuer, status
and validity — never the legal representative or anyone else's personal data. They are cached
in Redis per licence number for up to 10 minutes, never past the next local midnight (a derived
status such as ``expiring`` changes at midnight), and tagged with the day they were computed for;
an answer is kept as the JSON text it is sent as, so a cached single check is sent without being
built, dumped or encoded again;
a status change drops the entry after its commit (register.py), a scheduled decision too, when the
periodic job applies it on its date. Callers are rate-limited per IP.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from app import clock, ratelimit
from app.db import after_commit, session
from app.entities.lifecycle import when_renamed
from app.entities.models import Entity
from app.licences import errors
from app.licences.catalogue import licence_type
from app.licences.models import Licence
from app.licences.status import DECIDED, STATUS_NAMES, licence_status
from app.redis_store import best_effort, get_redis

CACHE_SECONDS = 600
CHECKS_PER_MINUTE = 300  # licence numbers per client address: a bulk check counts each of its numbers
MAX_BULK = 100


def cache_key(number: str) -> str:
    return f"licence:check:v2:{number}"  # v2: the entry holds the answer as sent (older processes parse v1)


def forget(number: str) -> None:
    with best_effort("a licence check answer stays cached until it expires"):
        get_redis().delete(cache_key(number))


def _seconds_to_local_midnight() -> int:
    local = clock.local_now()
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def public_answer(licence: Licence, holder: Entity) -> dict[str, Any]:
    """The public fields; a suspension, revocation or cancellation says why (the decision is public,
    as its notice is), a valid licence says nothing of its history."""
    kind, status = licence_type(licence.type_code), licence_status(licence, clock.today())
    return {"number": licence.number, "found": True, "licence_type": kind.code, "licence_type_name": kind.name,
            "issuer": licence.issuer, "holder_name": holder.name, "holder_uscc": holder.uscc,
            "status": status, "status_name": STATUS_NAMES[status],
            "status_reason": licence.state_reason if status in DECIDED else None,
            "issued_on": licence.issued_on.isoformat(),
            "valid_until": None if licence.valid_until is None else licence.valid_until.isoformat()}


@dataclass(frozen=True)
class Answer:
    """One licence's public answer: its fields, and the same as the JSON text the API sends."""

    fields: dict[str, Any]
    text: str

    @classmethod
    def of(cls, fields: dict[str, Any]) -> Answer:
        return cls(fields, json.dumps(fields, ensure_ascii=False, separators=(",", ":")))


@functools.lru_cache(maxsize=4096)
def _entry(raw: str) -> tuple[str, Answer | None]:
    """A cached entry (``<day it is for>\n<answer text>``) as read back, parsed once (a checked
    licence is asked for again and again); callers only read it. An entry in another form is for
    no day, so it is answered afresh and replaced."""
    as_of, _, text = raw.partition("\n")  # compact JSON holds no newline
    try:
        return as_of, Answer(json.loads(text), text)
    except ValueError:
        return "", None


def _answers(numbers: list[str], limit: ratelimit.Limit) -> dict[str, Answer]:
    """The answers for ``numbers``, counting ``limit`` (and the request's own) in the round trip
    that reads the cache: a cached check costs one round trip and no SQL."""
    today = clock.today().isoformat()
    found: dict[str, Answer] = {}
    results = ratelimit.with_limits(limit, reads=(("MGET", *(cache_key(n) for n in numbers)),))
    cache = results[0] if results is not None else [None] * len(numbers)
    for number, cached in zip(numbers, cache, strict=True):
        as_of, answer = _entry(cached) if cached else ("", None)
        if answer is not None and as_of == today:
            found[number] = answer
    missing = [n for n in numbers if n not in found]
    if missing:
        rows = session().execute(select(Licence, Entity).join(Entity, Entity.id == Licence.entity_id)
                                 .where(Licence.number.in_(missing)))
        ttl = min(CACHE_SECONDS, _seconds_to_local_midnight())
        pipe = get_redis().pipeline(transaction=False)
        for licence, holder in rows:
            answer = found[licence.number] = Answer.of(public_answer(licence, holder))
            pipe.set(cache_key(licence.number), f"{today}\n{answer.text}", ex=ttl)
        if len(pipe):
            with best_effort("licence checks read the database uncached"):
                pipe.execute()
    return found


def _matches(answer: Answer | None, uscc: str | None) -> bool:
    return answer is not None and (not uscc or answer.fields["holder_uscc"] == uscc.strip().upper())


def check_licence(number: str, uscc: str | None, client: str) -> Answer:
    number = number.strip()
    answer = _answers([number], ratelimit.Limit(f"licence-check:{client}", CHECKS_PER_MINUTE, 60)).get(number)
    if not _matches(answer, uscc):
        raise errors.LicenceNotFound()
    return answer  # type: ignore[return-value]  # _matches: not None


def check_licences(numbers: list[str], uscc: str | None, client: str) -> list[dict[str, Any]]:
    limit = ratelimit.Limit(f"licence-check:{client}", CHECKS_PER_MINUTE, 60, count=len(numbers))
    numbers = [n.strip() for n in numbers]
    answers = _answers(list(dict.fromkeys(numbers)), limit)
    return [answers[n].fields if _matches(answers.get(n), uscc) else {"number": n, "found": False}
            for n in numbers]


@when_renamed
def forget_entity_answers(entity: Entity) -> None:
    """Cached public licence checks show the holder's name; drop them once a rename commits."""
    numbers = list(session().scalars(select(Licence.number).where(Licence.entity_id == entity.id)))
    after_commit(lambda: [forget(number) for number in numbers])
