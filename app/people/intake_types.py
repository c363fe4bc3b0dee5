"""Record types the people area accepts from issuing authorities: person, household_link, life_event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import marshmallow as ma

from app import clock
from app.intake.types import RecordContext, RecordType, register
from app.people.events_catalogue import EVENT_TYPES
from app.people.household import RELATIONS, link, parents_of, set_address
from app.people.models import LifeEvent, Person
from app.people.persons import ensure_person
from app.people.timeline import births_of, record_authority_event
from app.push.facts import as_payload, person_facts
from app.push.outbox import emit

# The birth bundle is for a child under a year old, whether the birth or a parent's link arrives
# later: an adult's birth record (historical loads, links for grown-up children) congratulates no one.
BIRTH_BUNDLE_DAYS = 365

_ID_NUMBER = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))


class AddressSchema(ma.Schema):
    kind = ma.fields.String(load_default="household", validate=ma.validate.OneOf(["household", "residence"]))
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=2, max=200))
    area_code = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))


class PersonRecord(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    id_number = _ID_NUMBER
    address = ma.fields.Nested(AddressSchema)


class HouseholdLinkRecord(ma.Schema):
    from_id_number = _ID_NUMBER
    to_id_number = _ID_NUMBER
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(RELATIONS),
                                metadata={"description": "to 是 from 的 parent / child / spouse"})


class LifeEventRecord(ma.Schema):
    id_number = _ID_NUMBER
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(EVENT_TYPES)))
    date = ma.fields.Date(required=True)
    payload = ma.fields.Dict(load_default=dict)


def apply_person(ctx: RecordContext, data: dict[str, Any]) -> None:
    person = ensure_person(data["id_number"], data["name"])
    if address := data.get("address"):
        set_address(person, address["kind"], address["text"], address.get("area_code"), ctx.authority.id)


def apply_household_link(ctx: RecordContext, data: dict[str, Any]) -> None:
    person, relative = ensure_person(data["from_id_number"]), ensure_person(data["to_id_number"])
    relation = data["relation"]
    if link(person, relative, relation, ctx.authority.id) and relation != "spouse":
        child, parent = (person, relative) if relation == "parent" else (relative, person)
        _announce_births_to_late_parent(child, parent)


def apply_life_event(ctx: RecordContext, data: dict[str, Any]) -> None:
    person = ensure_person(data["id_number"])
    event = record_authority_event(person, data["type"], data["date"], data["payload"],
                                   authority_id=ctx.authority.id, record_id=ctx.record_id)
    if event.type == "birth" and event.occurred_on >= clock.today() - timedelta(days=BIRTH_BUNDLE_DAYS):
        _announce_birth(person, event)


def _announce_birth(child: Person, event: LifeEvent, account_ids: list[int] | None = None) -> None:
    """The birth bundle push, through the outbox in this batch's transaction, to the parents the
    household links name now (an authority sends the links before the birth, or in the same batch
    ahead of it). A newer version of the record emits again and writes nothing: the key is the event."""
    facts = {"event.id": event.id, "event.occurred_on": event.occurred_on,
             **person_facts(child, clock.today(), "child")}
    if account_ids is None:
        account_ids = [p.account_id for p in parents_of(child.id) if p.account_id is not None]
    emit("life_event.birth", {"facts": as_payload(facts), "account_ids": account_ids})


def _announce_births_to_late_parent(child: Person, parent: Person) -> None:
    """A parent link that arrives after the child's birth event (another authority, a later batch):
    the birth bundle goes to this newly linked parent, through the outbox like the birth itself.

    Same facts and dedupe key (``birth_bundle:{event.id}``) as ``_announce_birth``, so a parent who
    already has it gets nothing twice; a re-sent link batch is ``unchanged`` and applies nothing, and
    a link already known (``link`` returns False) emits nothing. Only births of the last
    ``BIRTH_BUNDLE_DAYS`` count. A parent not yet verified (no account) is not reached here.
    """
    if parent.account_id is None:
        return
    for event in births_of(child.id, clock.today() - timedelta(days=BIRTH_BUNDLE_DAYS)):
        _announce_birth(child, event, [parent.account_id])


register(RecordType("person", PersonRecord, apply_person, "自然人基本信息（姓名、身份证号、地址）"))
register(RecordType("household_link", HouseholdLinkRecord, apply_household_link, "亲属关系（父母、子女、配偶）"))
register(RecordType("life_event", LifeEventRecord, apply_life_event, "人生事件（出生、入学、就业……）"))
