"""Finding and creating persons by ID number, and attaching them to verified accounts."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.db import session
from app.errors import NotFound
from app.identity.accounts import find_by_id_number
from app.identity.id_number import parse_id_number
from app.people.models import Person
from app.security.keys import decrypt, encrypt, lookup_hash


def find_person(id_number: str) -> Person | None:
    stmt = select(Person).where(Person.id_number_hash == lookup_hash(id_number.strip().upper(), "id_number"))
    return session().scalars(stmt).first()


def ensure_person(id_number: str, name: str | None = None) -> Person:
    """The person with this ID number, created if new; a given name replaces the stored one.

    A person created after its resident already verified is attached at once, so the order in
    which records and logins arrive does not matter.
    """
    parsed = parse_id_number(id_number, today=clock.today())
    person = find_person(parsed.number)
    if person is None:
        person = Person(id_number_enc=encrypt(parsed.number, "person.id_number"),
                        id_number_hash=lookup_hash(parsed.number, "id_number"),
                        birth_date=parsed.birth_date, sex=parsed.sex, area_code=parsed.area_code,
                        created_at=clock.now())
        account = find_by_id_number(parsed.number)
        if account is not None and account.real_name_verified_at is not None:
            person.account_id, person.attached_at = account.id, clock.now()
        session().add(person)
    if name:
        person.name_enc = encrypt(name, "person.name")
    session().flush()
    return person


def attach_account(account_id: int, name: str, id_number: str) -> Person:
    person = ensure_person(id_number, None)
    if person.name_enc is None:
        person.name_enc = encrypt(name, "person.name")
    if person.account_id != account_id:
        person.account_id, person.attached_at = account_id, clock.now()
    session().flush()
    return person


def person_of_account(account_id: int) -> Person:
    """The person behind a verified account (404 before real-name verification)."""
    person = session().scalars(select(Person).where(Person.account_id == account_id)).first()
    if person is None:
        raise NotFound("尚无个人档案，请先完成实名认证")
    return person


def person_name(person: Person) -> str | None:
    return None if person.name_enc is None else decrypt(person.name_enc, "person.name")


def person_id_number(person: Person) -> str:
    return decrypt(person.id_number_enc, "person.id_number")
