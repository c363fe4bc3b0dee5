"""What a resident sees of their own person record: identity, addresses, household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.identity.models import L3
from app.identity.sessions import Principal
from app.people.household import addresses, relatives
from app.people.models import Person
from app.people.persons import person_id_number, person_name, person_of_account
from app.security.keys import decrypt
from app.security.masking import mask_id_number, mask_name


@dataclass(frozen=True)
class AddressView:
    kind: str
    address: str
    area_code: str | None


@dataclass(frozen=True)
class RelativeView:
    relation: str
    name: str | None
    birth_date: date
    sex: str


@dataclass(frozen=True)
class ProfileView:
    name: str | None
    id_number: str
    masked: bool
    birth_date: date
    sex: str
    area_code: str
    addresses: list[AddressView]
    household: list[RelativeView]


def _mask_address(text: str) -> str:
    # Keep the province/city part that says where, hide the street and number.
    return text[:6] + "****" if len(text) > 6 else "****"


def my_profile(principal: Principal) -> ProfileView:
    person: Person = person_of_account(principal.account_id)
    # Own identity in full only at L3 (docs/product.md, display masking); relatives are always masked.
    reveal = principal.level >= L3
    name, number = person_name(person), person_id_number(person)
    homes = [AddressView(a.kind, decrypt(a.address_enc, "person.address"), a.area_code)
             for a in addresses(person.id)]
    if not reveal:
        name, number = name and mask_name(name), mask_id_number(number)
        homes = [AddressView(a.kind, _mask_address(a.address), a.area_code) for a in homes]
    household = [RelativeView(link.relation, (n := person_name(rel)) and mask_name(n), rel.birth_date, rel.sex)
                 for link, rel in relatives(person.id)]
    return ProfileView(name, number, not reveal, person.birth_date, person.sex, person.area_code, homes, household)
