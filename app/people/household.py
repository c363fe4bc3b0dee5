"""Household links and addresses, as authorities assert them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import clock
from app.db import session
from app.people import errors
from app.people.models import Address, HouseholdLink, Person
from app.security.keys import encrypt

RELATIONS = ("parent", "child", "spouse")
INVERSE = {"parent": "child", "child": "parent", "spouse": "spouse"}


def link(person: Person, relative: Person, relation: str, authority_id: str) -> bool:
    """``relative`` is the ``relation`` of ``person``; the inverse link is written too.

    Returns whether the link is new (an authority re-asserting a known link returns False).
    """
    if person.id == relative.id:
        raise errors.HouseholdLinkSelf()
    created = False
    for a, b, rel in ((person, relative, relation), (relative, person, INVERSE[relation])):
        exists = session().scalars(select(HouseholdLink).where(
            HouseholdLink.person_id == a.id, HouseholdLink.relative_id == b.id,
            HouseholdLink.relation == rel)).first()
        if exists is None:
            session().add(HouseholdLink(person_id=a.id, relative_id=b.id, relation=rel,
                                        authority_id=authority_id, created_at=clock.now()))
            created = True
    session().flush()
    return created


def relatives(person_id: int) -> list[tuple[HouseholdLink, Person]]:
    relative = aliased(Person)
    rows = session().execute(select(HouseholdLink, relative)
                             .join(relative, relative.id == HouseholdLink.relative_id)
                             .where(HouseholdLink.person_id == person_id)
                             .order_by(HouseholdLink.relation, HouseholdLink.id)).all()
    return [(row[0], row[1]) for row in rows]


def parents_of(child_id: int) -> list[Person]:
    """The parents of a child (e.g. to tell them the child turns 6)."""
    stmt = (select(Person).join(HouseholdLink, HouseholdLink.relative_id == Person.id)
            .where(HouseholdLink.person_id == child_id, HouseholdLink.relation == "parent")
            .order_by(Person.id))
    return list(session().scalars(stmt).all())


def set_address(person: Person, kind: str, text: str, area_code: str | None, source: str) -> Address:
    address = session().scalars(select(Address).where(Address.person_id == person.id,
                                                      Address.kind == kind)).first()
    if address is None:
        address = Address(person_id=person.id, kind=kind)
        session().add(address)
    address.address_enc = encrypt(text, "person.address")
    address.area_code, address.source, address.updated_at = area_code, source, clock.now()
    session().flush()
    return address


def addresses(person_id: int) -> list[Address]:
    return list(session().scalars(select(Address).where(Address.person_id == person_id)
                                  .order_by(Address.kind)).all())
