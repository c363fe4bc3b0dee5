"""Factories for residents at any assurance level, straight into the database."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import date

from app import clock
from app.db import session, transactional
from app.identity.id_number import make_id_number
from app.identity.models import L0, L1, L2, L3, Account
from app.identity.sessions import TokenPair, start_session
from app.people.linking import attach_verified_resident
from app.security.keys import encrypt, lookup_hash

_sequence = itertools.count(1)


@dataclass
class Resident:
    account_id: int
    tokens: TokenPair
    name: str | None
    id_number: str | None
    phone: str | None
    openid: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.access_token}"}


def new_id_number(birth: date = date(1990, 5, 17), area: str = "440106") -> str:
    return make_id_number(area, birth, next(_sequence) % 999 or 1)


@transactional
def create_resident(
    level: int = L3,
    *,
    name: str = "张三",
    id_number: str | None = None,
    phone: str | None = None,
    openid: str | None = None,
    birth: date = date(1990, 5, 17),
) -> Resident:
    n = next(_sequence)
    openid = openid or f"o-test-{secrets.token_hex(8)}"
    now = clock.now()
    account = Account(provider="wechat", provider_uid=openid, created_at=now)
    if level >= L1:
        phone = phone or f"139{n:08d}"
        account.phone_enc = encrypt(phone, "account.phone")
        account.phone_hash = lookup_hash(phone, "phone")
        account.phone_bound_at = now
    else:
        phone = None
    if level >= L2:
        id_number = id_number or new_id_number(birth)
        account.name_enc = encrypt(name, "account.name")
        account.id_number_enc = encrypt(id_number, "account.id_number")
        account.id_number_hash = lookup_hash(id_number, "id_number")
        account.real_name_verified_at = now
    else:
        name, id_number = None, None  # type: ignore[assignment]
    if level >= L3:
        account.face_verified_at = now
    session().add(account)
    session().flush()
    if level >= L2:
        # As the real verification does: records sent earlier for this ID number become the resident's.
        attach_verified_resident(account, name, id_number)
    tokens = start_session(account)
    return Resident(account.id, tokens, name, id_number, phone, openid)


__all__ = ["L0", "L1", "L2", "L3", "Resident", "create_resident", "new_id_number"]
