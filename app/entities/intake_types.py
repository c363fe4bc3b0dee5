"""Intake record types of the market-regulation authority: entities, stage changes, annual reports.

An entity's facts belong to the authority that registered it (``Entity.authority_id``): only that
authority may update it, change its stage or report its annual reports.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app import clock
from app.audit.log import Actor
from app.entities import lifecycle
from app.entities.models import STAGES
from app.entities.uscc import validate_uscc
from app.errors import AppError
from app.identity.id_number import parse_id_number
from app.intake.types import RecordContext, RecordType, Target, register


def validate_uscc_field(value: str) -> None:
    try:
        validate_uscc(value)
    except AppError as error:
        raise ma.ValidationError(error.message) from None


def _id_number(value: str) -> None:
    try:
        parse_id_number(value, today=clock.today())
    except AppError as error:
        raise ma.ValidationError(error.message) from None


class RepresentativeSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    id_number = ma.fields.String(required=True, validate=_id_number)


class EntitySchema(ma.Schema):
    uscc = ma.fields.String(required=True, validate=validate_uscc_field)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    registered_address = ma.fields.String(required=True, validate=ma.validate.Length(max=300))
    legal_representative = ma.fields.Nested(RepresentativeSchema, required=True)
    stage = ma.fields.String(validate=ma.validate.OneOf(STAGES))
    stage_since = ma.fields.Date()


class EntityStageSchema(ma.Schema):
    uscc = ma.fields.String(required=True, validate=validate_uscc_field)
    stage = ma.fields.String(required=True, validate=ma.validate.OneOf(STAGES))
    effective_on = ma.fields.Date(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))


class AnnualReportSchema(ma.Schema):
    uscc = ma.fields.String(required=True, validate=validate_uscc_field)
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2014, max=2100))
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(("not_submitted", "submitted", "overdue")))
    submitted_on = ma.fields.Date(allow_none=True)

    @ma.validates_schema
    def submitted_has_a_date(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["status"] == "submitted" and not data.get("submitted_on"):
            raise ma.ValidationError("已报送须给出报送日期", "submitted_on")


def _actor(ctx: RecordContext) -> Actor:
    return Actor("authority", ctx.authority.id)


def entity_target(data: dict[str, Any]) -> Target:
    entity = lifecycle.find_entity(validate_uscc(data["uscc"]))
    return Target(entity.authority_id if entity is not None else None)


def apply_entity(ctx: RecordContext, data: dict[str, Any]) -> None:
    rep = data["legal_representative"]
    lifecycle.upsert_entity(
        uscc=validate_uscc(data["uscc"]), name=data["name"], type=data["type"],
        registered_address=data["registered_address"], actor=_actor(ctx),
        representative=(rep["name"].strip(), rep["id_number"].strip().upper()),
        stage=data.get("stage"), stage_since=data.get("stage_since"), authority_id=ctx.authority.id)


def apply_entity_stage(ctx: RecordContext, data: dict[str, Any]) -> None:
    entity = lifecycle.entity_or_reject(validate_uscc(data["uscc"]))
    lifecycle.change_stage(entity, data["stage"], data["effective_on"], data["reason"])


def apply_annual_report(ctx: RecordContext, data: dict[str, Any]) -> None:
    entity = lifecycle.entity_or_reject(validate_uscc(data["uscc"]))
    lifecycle.upsert_annual_report(entity, data["year"], data["status"], data.get("submitted_on"))


register(RecordType("entity", EntitySchema, apply_entity,
                    "市场主体登记信息（含法定代表人姓名与身份证号，仅保存其盲索引与加密姓名）",
                    target=entity_target))
register(RecordType("entity_stage", EntityStageSchema, apply_entity_stage,
                    "市场主体阶段变更（设立、存续、清算、注销）", target=entity_target))
register(RecordType("annual_report", AnnualReportSchema, apply_annual_report, "市场主体年度报告报送情况",
                    target=entity_target))
