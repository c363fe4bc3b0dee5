"""Record types the certificates area accepts: certificate, certificate_status.

A certificate belongs to the authority that first issued it (``Certificate.authority_id``); the
intake's shared checks let only that authority, registered for its type, reissue or revoke it.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app.certificates.catalogue import certificate_type, certificate_types
from app.certificates.errors import CertificateUnknown
from app.certificates.wallet import find_certificate, reinstate, revoke, upsert_certificate
from app.errors import ValidationFailed
from app.intake.types import RecordContext, RecordType, Target, register, register_document_kind
from app.people.persons import ensure_person

_NUMBER = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
_FIELD_KEY = ma.validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$")
_SCALAR = (str, int, float, bool)


class CertificateRecord(ma.Schema):
    type = ma.fields.String(required=True)
    number = _NUMBER
    holder_id_number = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    holder_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    issuer = ma.fields.String(validate=ma.validate.Length(min=1, max=200),
                              metadata={"description": "具体签发机关；缺省为类型目录中的签发部门"})
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(load_default=None, allow_none=True)
    fields = ma.fields.Dict(keys=ma.fields.String(validate=_FIELD_KEY), load_default=dict)

    @ma.validates("fields")
    def scalar_fields(self, value: dict[str, Any], **_kwargs: Any) -> None:
        if len(value) > 20 or any(not isinstance(v, _SCALAR) or (isinstance(v, str) and len(v) > 200)
                                  for v in value.values()):
            raise ma.ValidationError("最多 20 项，每项为不超过 200 字的文字、数字或布尔值")


class CertificateStatusRecord(ma.Schema):
    type = ma.fields.String(required=True)
    number = _NUMBER
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["revoked", "valid"]), metadata={
        "description": "revoked 注销 · valid 恢复（撤销误注销）"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


def certificate_target(data: dict[str, Any]) -> Target:
    kind = certificate_type(data["type"])
    cert = find_certificate(kind.code, data["number"])
    return Target(cert.authority_id if cert is not None else None, f"certificate:{kind.code}")


def apply_certificate(ctx: RecordContext, data: dict[str, Any]) -> None:
    kind = certificate_type(data["type"])
    expires_on = data["expires_on"]
    if not kind.lifelong and expires_on is None:
        raise ValidationFailed("此类证照须有有效期", code="certificate_expiry_required")
    if kind.lifelong:
        expires_on = None
    if expires_on is not None and expires_on < data["issued_on"]:
        raise ValidationFailed("有效期早于签发日期", code="certificate_dates_invalid")
    holder = ensure_person(data["holder_id_number"], None)
    upsert_certificate(holder, type_code=kind.code, number=data["number"], holder_name=data["holder_name"],
                       issuer=data.get("issuer"), issued_on=data["issued_on"], expires_on=expires_on,
                       fields=data["fields"], authority_id=ctx.authority.id)


def apply_certificate_status(ctx: RecordContext, data: dict[str, Any]) -> None:
    """Revoke a certificate, or reinstate one revoked by mistake (its issuer only: ``certificate_target``)."""
    cert = find_certificate(certificate_type(data["type"]).code, data["number"])
    if cert is None:
        raise CertificateUnknown()
    if data["status"] == "revoked":
        revoke(cert, data["reason"])
    else:
        reinstate(cert)


register_document_kind("certificate", lambda: certificate_types())
register(RecordType("certificate", CertificateRecord, apply_certificate, "电子证照（签发或更新）",
                    target=certificate_target, document_kind="certificate"))
register(RecordType("certificate_status", CertificateStatusRecord, apply_certificate_status,
                    "证照状态变更（注销或恢复）", target=certificate_target, document_kind="certificate"))
