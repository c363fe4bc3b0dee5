"""What a resident sees of their own account: level, when L3 lapses, masked identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.identity.accounts import get_account, phone, real_name
from app.identity.models import L3
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


def my_account(principal: Principal) -> AccountView:
    account = get_account(principal.account_id)
    level = account.level(clock.now(), l3_max_age())
    # Masked everywhere except for the holder's own look at L3 (DESIGN.md, display masking).
    reveal = level >= L3
    identity = real_name(account)
    number = phone(account)
    name, id_number = identity if identity else (None, None)
    if not reveal:
        name = name and mask_name(name)
        id_number = id_number and mask_id_number(id_number)
        number = number and mask_phone(number)
    return AccountView(account.id, level, account.l3_lapses_at(l3_max_age()) if level >= L3 else None,
                       account.l3_method if level >= L3 else None,
                       number, name, id_number, not reveal, account.created_at)


def level_of(account_id: int) -> int:
    return get_account(account_id).level(clock.now(), l3_max_age())
