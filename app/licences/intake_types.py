"""Intake record types of licence-issuing authorities: licences and their status decisions.

A licence belongs to the authority that first issued it (``Licence.authority_id``): only that
authority, registered for the licence's type (``licence:<code>``), may update it or decide its status.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app.entities.intake_types import validate_uscc_field
from app.entities.lifecycle import entity_or_reject
from app.entities.uscc import validate_uscc
from app.errors import NotFound
from app.intake.types import RecordContext, RecordType, Target, register, register_document_kind
from app.licences import register as licences
from app.licences.catalogue import catalogue

# Numbers mix digits, letters, Chinese characters and brackets (e.g. 粤卫公证字[2024]第0104A0321号).
NUMBER = ma.validate.Regexp(r"^[0-9A-Za-z\u4e00-\u9fa5()（）\[\]〔〕［］\-]{4,64}$", error="许可证编号格式不正确")


class LicenceSchema(ma.Schema):
    number = ma.fields.String(required=True, validate=NUMBER)
    type = ma.fields.String(required=True, validate=lambda code: code in catalogue() or _unknown_type(code))
    uscc = ma.fields.String(required=True, validate=validate_uscc_field)
    issuer = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    issued_on = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True)


class LicenceStatusSchema(ma.Schema):
    number = ma.fields.String(required=True, validate=NUMBER)
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(licences.ACTIONS)))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    effective_on = ma.fields.Date(required=True, metadata={
        "description": "生效日期；晚于收到之日（北京时间）的决定记为待生效，到期自动生效，此前状态不变"})


def _unknown_type(code: str) -> bool:
    raise ma.ValidationError(f"未知的许可证类型，可选：{', '.join(catalogue())}")


def licence_target(data: dict[str, Any]) -> Target:
    licence = licences.find_licence(data["number"])
    type_code = data.get("type") or (licence.type_code if licence is not None else None)
    return Target(licence.authority_id if licence is not None else None,
                  f"licence:{type_code}" if type_code else None)


def apply_licence(ctx: RecordContext, data: dict[str, Any]) -> None:
    holder = entity_or_reject(validate_uscc(data["uscc"]))
    licences.upsert_licence(number=data["number"], type_code=data["type"], holder=holder,
                            issued_on=data["issued_on"], valid_until=data.get("valid_until"),
                            issuer=data.get("issuer"), authority_id=ctx.authority.id)


def apply_licence_status(ctx: RecordContext, data: dict[str, Any]) -> None:
    """A status decision: applied now, or scheduled when dated after today (register.change_licence_state)."""
    licence = licences.find_licence(data["number"])
    if licence is None:
        raise NotFound("未找到该许可证", code="licence_not_found")
    licences.change_licence_state(licence, data["action"], data["reason"], data["effective_on"])


register_document_kind("licence", lambda: catalogue())
register(RecordType("licence", LicenceSchema, apply_licence, "许可证发放与信息更新（按编号）",
                    target=licence_target, document_kind="licence"))
register(RecordType("licence_status", LicenceStatusSchema, apply_licence_status,
                    "许可证状态决定：暂扣、恢复、吊销、注销（附原因与生效日期，日期在后的到期生效）",
                    target=licence_target, document_kind="licence"))
