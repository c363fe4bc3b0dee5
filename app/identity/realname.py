"""Real-name verification: name + resident ID number, checked locally, then at the registry. L2.

Local checks (format, real birth date not in the future, GB 11643 check character) run before
any outside call. Failed registry checks are limited to 5 per account per day and 5 per ID number
per day (keyed by the ID number's blind index, as login.gov does with SSNs), so neither one
account can try many numbers nor many accounts one number. A registry that cannot answer
changes nothing and counts nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import transactional
from app.identity import errors
from app.identity.accounts import find_by_id_number, get_account
from app.identity.id_number import parse_id_number
from app.identity.models import Account
from app.identity.sessions import Principal
from app.integrations import registries
from app.redis_store import get_redis
from app.security.keys import encrypt, lookup_hash

MAX_FAILURES_PER_DAY = 5

# What other capabilities do in the transaction that verifies a resident's real name (people links
# the person records that arrived earlier): they register here, so identity depends on none of them.
_on_verified: list[Callable[[Account, str, str], None]] = []


def when_verified(listener: Callable[[Account, str, str], None]) -> Callable[[Account, str, str], None]:
    """Register ``listener(account, name, id_number)``, called when a real name is verified (L2)."""
    _on_verified.append(listener)
    return listener
_NAME = re.compile(r"^[\u4e00-\u9fa5·•]{2,30}$|^[A-Za-z][A-Za-z .'-]{1,59}$")


def _counter_keys(account_id: int, id_hash: str) -> list[str]:
    day = clock.today().isoformat()
    return [f"realname:fail:account:{account_id}:{day}", f"realname:fail:id:{id_hash}:{day}"]


def _seconds_to_local_midnight() -> int:
    local = clock.local_now()
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def verify_real_name(principal: Principal, name: str, id_number: str) -> None:
    name = name.strip()
    if not _NAME.match(name):
        raise errors.NameInvalid()
    parsed = parse_id_number(id_number, today=clock.today())
    account = get_account(principal.account_id)
    if account.real_name_verified_at is not None:
        raise errors.AlreadyVerified()
    other = find_by_id_number(parsed.number)
    if other is not None and other.id != account.id:
        raise errors.IdNumberTaken()

    id_hash = lookup_hash(parsed.number, "id_number")
    keys = _counter_keys(account.id, id_hash)
    redis = get_redis()
    if any(int(redis.get(key) or 0) >= MAX_FAILURES_PER_DAY for key in keys):
        raise errors.RealNameAttemptsExceeded(retry_after=_seconds_to_local_midnight())

    result = registries.verify_person(name, parsed.number)
    actor = Actor("resident", str(account.id))
    if result != "match":
        pipe = redis.pipeline()
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, 2 * 24 * 3600)
        pipe.execute()
        audit_log.record_failure("identity.real_name", actor=actor, subject_type="account",
                                 subject_id=account.id, outcome=f"registry_{result}")
        # The app is not told that a person is deceased: it only learns the pair did not match.
        raise errors.RealNameMismatch()
    _mark_verified(account.id, name, parsed.number, id_hash)


@transactional
def _mark_verified(account_id: int, name: str, id_number: str, id_hash: str) -> None:
    account = get_account(account_id)
    account.name_enc = encrypt(name, "account.name")
    account.id_number_enc = encrypt(id_number, "account.id_number")
    account.id_number_hash = id_hash
    account.real_name_verified_at = clock.now()
    audit_log.record("identity.real_name", actor=Actor("resident", str(account_id)),
                     subject_type="account", subject_id=account_id)
    for listener in _on_verified:
        listener(account, name, id_number)
