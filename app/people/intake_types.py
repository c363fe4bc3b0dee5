"""Record types the people area accepts from issuing authorities: person, household_link, life_event."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app.intake.types import RecordContext, RecordType, register
from app.people import birth_bundle
from app.people.events_catalogue import EVENT_TYPES
from app.people.household import RELATIONS, link, set_address
from app.people.persons import ensure_person
from app.people.timeline import record_authority_event

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
        birth_bundle.announce_to_parent(child, parent)


def apply_life_event(ctx: RecordContext, data: dict[str, Any]) -> None:
    person = ensure_person(data["id_number"])
    event = record_authority_event(person, data["type"], data["date"], data["payload"],
                                   authority_id=ctx.authority.id, record_id=ctx.record_id)
    if event.type == "birth":
        birth_bundle.announce_birth(person, event)


register(RecordType("person", PersonRecord, apply_person, "自然人基本信息（姓名、身份证号、地址）"))
register(RecordType("household_link", HouseholdLinkRecord, apply_household_link, "亲属关系（父母、子女、配偶）"))
register(RecordType("life_event", LifeEventRecord, apply_life_event, "人生事件（出生、入学、就业……）"))
