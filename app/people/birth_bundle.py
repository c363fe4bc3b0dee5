"""The birth bundle push (出生一件事) to a newborn's parents, whichever arrives last.

Authorities send the birth, the parent links and the parents' own records separately; a parent gets
the bundle once per birth (the dedupe key is the birth event) when the last piece arrives: the birth
event (to the parents linked then), a parent link made after the birth, or a linked parent completing
real-name verification. All go through the outbox in the transaction that brought the last piece.
Only births of the last ``BIRTH_BUNDLE_DAYS`` count: an adult's birth record (historical loads, links
for grown-up children) congratulates no one.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.db import session
from app.people.facts import person_facts
from app.people.household import parents_of
from app.people.models import HouseholdLink, LifeEvent, Person
from app.people.timeline import births_of
from app.push.outbox import as_payload, emit

BIRTH_BUNDLE_DAYS = 365


def _since() -> date:
    return clock.today() - timedelta(days=BIRTH_BUNDLE_DAYS)


def announce_birth(child: Person, event: LifeEvent, account_ids: list[int] | None = None) -> None:
    """The bundle for ``event`` to ``account_ids``, by default the parents the household links name now."""
    if event.occurred_on < _since():
        return
    facts = {"event.id": event.id, "event.occurred_on": event.occurred_on,
             **person_facts(child, clock.today(), "child")}
    if account_ids is None:
        account_ids = [p.account_id for p in parents_of(child.id) if p.account_id is not None]
    emit("life_event.birth", {"facts": as_payload(facts), "account_ids": account_ids})


def announce_to_parent(child: Person, parent: Person) -> None:
    """A parent linked, or verified, after the child's birth was recorded: the bundle for each recent
    birth of the child goes to this parent (a parent who already has it gets nothing twice)."""
    if parent.account_id is None:
        return
    for event in births_of(child.id, _since()):
        announce_birth(child, event, [parent.account_id])


def announce_to_verified_parent(parent: Person) -> None:
    """A resident just verified (L2): the bundle for their children's recent births."""
    children = session().scalars(select(Person).join(HouseholdLink, HouseholdLink.relative_id == Person.id).where(
        HouseholdLink.person_id == parent.id, HouseholdLink.relation == "child").order_by(Person.id))
    for child in children:
        announce_to_parent(child, parent)
