"""Real-name verification: name + resident ID number, checked locally, then at the registry. L2.

Local checks (format, real birth date not in the future, GB 11643 check character) run before
any outside call. Nothing is said about an ID number before the registry has confirmed that the
name matches it: "already verified by another account" is answered only to someone who got the
pair right, and counts as a failure like a mismatch.

Failed attempts are limited per day (Asia/Shanghai), keyed by the ID number's blind index (as
login.gov does with SSNs):

* 5 per account, whatever the numbers: one account cannot try many numbers;
* 3 per (account, ID number): one account cannot keep guessing the name of one number;
* once an ID number has 10 failures from all accounts, each account gets a single try at it that
  day (an account that already failed on it is refused before the registry). Many accounts then
  guess one name each at most, and the owner, who knows their own name, is never locked out by
  strangers: the limit is lifted for whoever the registry confirms.

A registry that cannot answer changes nothing and counts nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta

from app import clock
from app.audit import log as audit_log
from app.audit.disclosures import record_read
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

REGISTRY = Actor("outside", "population_registry")
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ACCOUNT_AND_ID = 3
MAX_FAILURES_PER_ID = 10

# What other capabilities do in the transaction that verifies a resident's real name (people links
# the person records that arrived earlier): they register here, so identity depends on none of them.
_on_verified: list[Callable[[Account, str, str], None]] = []


def when_verified(listener: Callable[[Account, str, str], None]) -> Callable[[Account, str, str], None]:
    """Register ``listener(account, name, id_number)``, called when a real name is verified (L2)."""
    _on_verified.append(listener)
    return listener

_NAME = re.compile(r"^[\u4e00-\u9fa5·•]{2,30}$|^[A-Za-z][A-Za-z .'-]{1,59}$")


def _counter_keys(account_id: int, id_hash: str) -> tuple[str, str, str]:
    day = clock.today().isoformat()
    return (f"realname:fail:account:{account_id}:{day}", f"realname:fail:account-id:{account_id}:{id_hash}:{day}",
            f"realname:fail:id:{id_hash}:{day}")


def _seconds_to_local_midnight() -> int:
    local = clock.local_now()
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def _refuse_when_limited(keys: tuple[str, str, str]) -> None:
    account, account_and_id, by_id = (int(value or 0) for value in get_redis().mget(keys))
    if account >= MAX_FAILURES_PER_ACCOUNT or account_and_id >= MAX_FAILURES_PER_ACCOUNT_AND_ID \
            or (by_id >= MAX_FAILURES_PER_ID and account_and_id >= 1):
        raise errors.RealNameAttemptsExceeded(retry_after=_seconds_to_local_midnight())


def _count_failure(keys: tuple[str, ...]) -> None:
    pipe = get_redis().pipeline()
    for key in keys:
        pipe.incr(key)
        pipe.expire(key, 2 * 24 * 3600)
    pipe.execute()


def verify_real_name(principal: Principal, name: str, id_number: str) -> None:
    name = name.strip()
    if not _NAME.match(name):
        raise errors.NameInvalid()
    parsed = parse_id_number(id_number, today=clock.today())
    account = get_account(principal.account_id)
    if account.real_name_verified_at is not None:
        raise errors.AlreadyVerified()
    id_hash = lookup_hash(parsed.number, "id_number")
    keys = _counter_keys(account.id, id_hash)
    _refuse_when_limited(keys)

    result = registries.verify_person(name, parsed.number)
    record_read(account.id, by=REGISTRY, data=["name", "id_number"], purpose="real_name_check")
    actor = Actor("resident", str(account.id))
    if result != "match":
        _count_failure(keys)
        audit_log.record_failure("identity.real_name", actor=actor, subject_type="account",
                                 subject_id=account.id, outcome=f"registry_{result}")
        raise errors.RealNameMismatch()
    other = find_by_id_number(parsed.number)
    if other is not None and other.id != account.id:
        # Right name, but someone holds it: counted against this account, not against the number.
        _count_failure(keys[:2])
        audit_log.record_failure("identity.real_name", actor=actor, subject_type="account",
                                 subject_id=account.id, outcome="id_number_bound_to_other_account")
        raise errors.IdNumberTaken()
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


def lift_attempt_limits(account_id: int, id_number: str) -> None:
    """Today's failure counts for this account and this ID number are forgotten (a hall officer has
    seen the person and their ID card); the caller audits who lifted them. Only today's: the
    counters are per local day."""
    get_redis().delete(*_counter_keys(account_id, lookup_hash(id_number, "id_number")))
