"""Reading accounts and their protected fields."""

from __future__ import annotations

from sqlalchemy import select

from app.db import session
from app.errors import NotFound
from app.identity.models import Account
from app.security.keys import decrypt, lookup_hash

PROVIDER_WECHAT = "wechat"


def get_account(account_id: int) -> Account:
    account = session().get(Account, account_id)
    if account is None:
        raise NotFound()
    return account


def find_by_openid(openid: str) -> Account | None:
    stmt = select(Account).where(Account.provider == PROVIDER_WECHAT, Account.provider_uid == openid)
    return session().scalars(stmt).first()


def find_by_id_number(id_number: str) -> Account | None:
    stmt = select(Account).where(Account.id_number_hash == lookup_hash(id_number, "id_number"))
    return session().scalars(stmt).first()


def real_name(account: Account) -> tuple[str, str] | None:
    """(name, id_number) in plaintext, for the account's own verified identity."""
    if account.name_enc is None or account.id_number_enc is None:
        return None
    return decrypt(account.name_enc, "account.name"), decrypt(account.id_number_enc, "account.id_number")


def phone(account: Account) -> str | None:
    return None if account.phone_enc is None else decrypt(account.phone_enc, "account.phone")


def find_by_phone(phone_number: str) -> Account | None:
    stmt = select(Account).where(Account.phone_hash == lookup_hash(phone_number, "phone"))
    return session().scalars(stmt).first()
