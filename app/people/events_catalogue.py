"""The life-event catalogue: each type's label, whether residents may report it, and its payload.

Payloads hold facts about the event, never another person's name or ID number (those are
household links, asserted by authorities).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import marshmallow as ma

from app.people import errors
from app.people.areas import area_name


def _real_area(code: str) -> None:
    if area_name(code) is None:
        raise ma.ValidationError("不是有效的县级行政区划代码")


def _text(required: bool = False, length: int = 100) -> ma.fields.String:
    return ma.fields.String(required=required, validate=ma.validate.Length(min=1, max=length))


class _Payload(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class BirthPayload(_Payload):
    place_area_code = ma.fields.String(validate=_real_area)
    hospital = _text()


class SchoolEnrolmentPayload(_Payload):
    school = _text(required=True)
    stage = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["kindergarten", "primary", "junior_secondary", "senior_secondary", "university"]))


class EmploymentPayload(_Payload):
    employer = _text(required=True)
    role = _text()


class MarriagePayload(_Payload):
    registry_office = _text()


class ChildbirthPayload(_Payload):
    child_sex = ma.fields.String(validate=ma.validate.OneOf(["male", "female"]))
    hospital = _text()


class RelocationPayload(_Payload):
    to_area_code = ma.fields.String(required=True, validate=_real_area)
    reason = ma.fields.String(validate=ma.validate.OneOf(["work", "study", "family", "other"]))


class RetirementPayload(_Payload):
    pension_type = ma.fields.String(validate=ma.validate.OneOf(["enterprise", "institution", "resident"]))


class DeathPayload(_Payload):
    pass


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    self_reportable: bool
    payload: type[ma.Schema]


EVENT_TYPES: dict[str, EventType] = {t.name: t for t in (
    EventType("birth", "出生", False, BirthPayload),
    EventType("school_enrolment", "入学", False, SchoolEnrolmentPayload),
    EventType("employment", "就业", True, EmploymentPayload),
    EventType("marriage", "结婚", False, MarriagePayload),
    EventType("childbirth", "生育", False, ChildbirthPayload),
    EventType("relocation", "迁居", True, RelocationPayload),
    EventType("retirement", "退休", False, RetirementPayload),
    EventType("death", "死亡", False, DeathPayload),
)}


def event_type(name: str) -> EventType:
    kind = EVENT_TYPES.get(name)
    if kind is None:
        raise errors.LifeEventTypeUnknown(details={"type": name, "known": sorted(EVENT_TYPES)})
    return kind


def validate_payload(kind: EventType, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return kind.payload().load(payload or {})
    except ma.ValidationError as error:
        raise errors.LifeEventPayloadInvalid(details={"type": kind.name, "fields": error.messages}) from None
