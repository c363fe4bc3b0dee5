"""What a resident sees of their own account: level, when L3 lapses, masked identity, and the
account's own display setting (长者模式)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from app import clock
from app.db import transactional
from app.identity.accounts import get_account, phone, real_name
from app.identity.models import L3, Account
from app.identity.session_cache import AccountSnapshot
from app.identity.sessions import Principal, l3_max_age
from app.security.masking import mask_id_number, mask_name, mask_phone


@dataclass(frozen=True)
class AccountView:
    id: int
    level: int
    l3_lapses_at: datetime | None
    l3_method: str | None  # face | in_person, while L3 holds
    phone: str | None
    name: str | None
    id_number: str | None
    masked: bool
    created_at: datetime
    elder_mode: bool = False


def my_account(principal: Principal) -> AccountView:
    account = principal.account  # the session check's row, when it read one
    if account is None or account.id != principal.account_id:
        account = get_account(principal.account_id)
    max_age = l3_max_age()
    level = account.level(clock.now(), max_age)
    if isinstance(account, AccountSnapshot):
        return _view_of_snapshot(account, level, max_age)
    return _view(account, level, max_age)


@functools.lru_cache(maxsize=1024)  # the residents a worker served last; a miss only decrypts again
def _view_of_snapshot(account: AccountSnapshot, level: int, max_age: timedelta) -> AccountView:
    """A cached session's account as seen at ``level``: decrypted once per process, not per request.

    The snapshot is the account's whole state (any change is a new snapshot, ``session_cache``) and
    the level the only thing time changes, so the pair decides the answer. The cache is this
    process's memory, never a store: Redis and the database only ever hold the ciphertexts."""
    return _view(account, level, max_age)


def _view(account: Account | AccountSnapshot, level: int, max_age: timedelta) -> AccountView:
    # Masked everywhere except for the holder's own look at L3 (docs/product.md, display masking).
    reveal = level >= L3
    identity = real_name(account)
    number = phone(account)
    name, id_number = identity if identity else (None, None)
    if not reveal:
        name = name and mask_name(name)
        id_number = id_number and mask_id_number(id_number)
        number = number and mask_phone(number)
    return AccountView(account.id, level, account.l3_lapses_at(max_age) if level >= L3 else None,
                       account.l3_method if level >= L3 else None,
                       number, name, id_number, not reveal, account.created_at, account.elder_mode)


def level_of(account_id: int) -> int:
    return get_account(account_id).level(clock.now(), l3_max_age())


@transactional
def set_elder_mode(principal: Principal, on: bool) -> bool:
    """Remember 长者模式 on the account, so the pages open in it on any device the person logs in on."""
    get_account(principal.account_id).elder_mode = on
    return on
