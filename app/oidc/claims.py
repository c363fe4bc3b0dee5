"""The claims yss can release, where each value comes from, and the level it needs.

A claim is released only from records yss holds from their authority: the name and ID number as
checked against the population registry (公安机关), the phone number as WeChat bound it, a
certificate's status from its issuer's record — never the certificate itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import clock
from app.certificates.models import Certificate
from app.certificates.wallet import EXPIRING, VALID, status_of
from app.db import session
from app.identity.accounts import get_account, phone, real_name
from app.identity.models import L1, L2, L3
from app.people.models import Address, Person
from app.people.persons import person_of_account
from app.security.keys import decrypt

POPULATION_REGISTRY = "公安机关（人口信息库）"


@dataclass(frozen=True)
class ClaimSpec:
    name: str
    label: str
    scope: str  # the OpenID scope that asks for it
    level: int  # the assurance level at which yss holds a verified value
    source: str


CLAIMS: dict[str, ClaimSpec] = {c.name: c for c in (
    ClaimSpec("name", "姓名", "profile", L2, POPULATION_REGISTRY),
    ClaimSpec("birthdate", "出生日期", "profile", L2, POPULATION_REGISTRY),
    ClaimSpec("gender", "性别", "profile", L2, POPULATION_REGISTRY),
    ClaimSpec("id_number", "身份证号码", "id_number", L2, POPULATION_REGISTRY),
    ClaimSpec("phone_number", "手机号码", "phone", L1, "微信（本人绑定的手机号）"),
    ClaimSpec("address", "户籍地址", "address", L2, "公安机关（户籍登记）"),
    ClaimSpec("driving_licence_valid", "是否持有有效驾驶证", "certificates", L3, "公安机关交通管理部门"),
)}
SCOPES = ("openid", "offline_access", *sorted({c.scope for c in CLAIMS.values()}))


def claims_for_scopes(scopes: list[str]) -> list[str]:
    return [name for name, spec in CLAIMS.items() if spec.scope in scopes]


def scopes_for_claims(claims: list[str]) -> list[str]:
    return sorted({CLAIMS[c].scope for c in claims})


def labels(claims: list[str]) -> list[str]:
    return [CLAIMS[c].label for c in claims if c in CLAIMS]


def _household_address(person: Person) -> str | None:
    row = session().scalars(select(Address).where(Address.person_id == person.id, Address.kind == "household")
                            .order_by(Address.updated_at.desc())).first()
    return None if row is None else decrypt(row.address_enc, "person.address")


def _holds_valid(person: Person, type_code: str) -> bool:
    certs = session().scalars(select(Certificate).where(Certificate.holder_id == person.id,
                                                        Certificate.type == type_code)).all()
    return any(status_of(c, clock.today()) in (VALID, EXPIRING) for c in certs)


def claim_values(account_id: int, claims: list[str]) -> dict[str, Any]:
    """The current verified value of each claim the resident has; a claim with no value is left out."""
    account = get_account(account_id)
    identity = real_name(account)
    person = person_of_account(account_id) if identity else None
    values: dict[str, Any] = {}
    for claim in claims:
        if claim == "phone_number":
            values[claim] = phone(account)
        elif identity is None or person is None:
            continue
        elif claim == "name":
            values[claim] = identity[0]
        elif claim == "id_number":
            values[claim] = identity[1]
        elif claim == "birthdate":
            values[claim] = person.birth_date.isoformat()
        elif claim == "gender":
            values[claim] = person.sex
        elif claim == "address":
            address = _household_address(person)
            values[claim] = {"formatted": address} if address else None
        elif claim == "driving_licence_valid":
            values[claim] = _holds_valid(person, "driving_licence")
    return {k: v for k, v in values.items() if v is not None}
