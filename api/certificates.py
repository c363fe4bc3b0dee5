"""The certificate wallet, SD-JWT credentials (issuance, status list) and public verification."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.acting.models import SHOW_CERTIFICATES, VIEW_CERTIFICATES
from app.certificates import credentials, status_list, verification, wallet
from app.certificates.errors import (
    CertificateExpired,
    CertificateNotShowable,
    CertificateRevoked,
    CredentialExpired,
    CredentialSuperseded,
    DeviceKeyInvalid,
    KeyBindingInvalid,
    PresentationChallengeMismatch,
    PresentationMalformed,
    PresentationReplayed,
    PresentationSignatureInvalid,
    PresentationStale,
    StatusListFull,
    VerifyRateLimited,
)
from app.certificates.sdjwt import MAX_PRESENTATION_BYTES
from app.errors import NotFound
from app.identity.models import L3

blp = Blueprint("certificates", __name__, url_prefix="/api/v1", description="电子证照、SD-JWT 凭证与亮证核验")

_B64URL = ma.validate.Regexp(r"^[A-Za-z0-9_-]{43}$", error="须为 43 位 base64url")


class CertificateSchema(ma.Schema):
    id = Int()
    type = ma.fields.String(metadata={"description": "证照类型代码，如 resident_id_card"})
    type_name = ma.fields.String()
    issuer = ma.fields.String()
    status = ma.fields.String(metadata={"description": "valid · expiring · expired · revoked"})
    status_label = ma.fields.String()
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    renewal_window_days = Int(allow_none=True)
    claims = ma.fields.Dict(metadata={"description": "可出示的信息项（本人 L3 可见）"})


class DeviceKeySchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # WebCrypto's exportKey adds key_ops and ext

    kty = ma.fields.String(required=True, validate=ma.validate.Equal("EC"))
    crv = ma.fields.String(required=True, validate=ma.validate.Equal("P-256"))
    x = ma.fields.String(required=True, validate=_B64URL)
    y = ma.fields.String(required=True, validate=_B64URL)


class CredentialRequestSchema(ma.Schema):
    device_key = ma.fields.Nested(DeviceKeySchema, required=True, metadata={
        "description": "本机设备公钥（JWK，ES256/P-256；私钥由页面以 WebCrypto 生成且不可导出）"})


class CredentialSchema(ma.Schema):
    certificate_id = Int()
    certificate_type = ma.fields.String()
    certificate_type_name = ma.fields.String()
    sd_jwt = ma.fields.String(metadata={"description": "SD-JWT（RFC 9901）：签发者签名的 JWT 与全部披露项，以 ~ 分隔"})
    disclosures = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                                 metadata={"description": "信息项名 → 其披露项（加盐），供页面选择出示"})
    derived = ma.fields.List(ma.fields.String(), metadata={"description": "推导信息项，如 age_over_18"})
    claims = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "供选择出示的信息项，按证照类型的顺序：name 名称、label 中文标签、derived 是否推导项"})
    device_key_thumbprint = ma.fields.String(metadata={"description": "设备公钥的 JWK 指纹（RFC 7638）"})
    status_index = Int(metadata={"description": "在状态列表中的位置"})
    issued_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()


class VerifyRequestSchema(ma.Schema):
    presentation = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_PRESENTATION_BYTES),
                                    metadata={"description": "SD-JWT+KB：签发者 JWT~所选披露项~KB-JWT"})
    audience = ma.fields.String(validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "核验方标识（挑战模式，与 nonce 同给）；不给则按柜台扫码模式（aud = yss:counter）核验"})
    nonce = ma.fields.String(validate=ma.validate.Length(min=1, max=200),
                             metadata={"description": "核验方给出的一次性随机数（挑战模式）"})

    @ma.validates_schema
    def both_or_neither(self, data, **_kwargs):
        if ("audience" in data) != ("nonce" in data):
            raise ma.ValidationError("audience 与 nonce 须同时提供", field_name="nonce")


class VerifyResultSchema(ma.Schema):
    certificate_type = ma.fields.String()
    certificate_type_name = ma.fields.String()
    issuer = ma.fields.String()
    status = ma.fields.String(metadata={"description": "核验时证照的状态：valid · expiring"})
    status_label = ma.fields.String()
    claims = ma.fields.Dict(metadata={"description": "持证人选择出示的信息项，仅此而已"})
    derived = ma.fields.Dict(metadata={"description": "推导信息，如 age_over_18"})
    mode = ma.fields.String(metadata={"description": "challenge（核验方 nonce）· counter（柜台扫码）"})
    presented_at = ma.fields.DateTime(metadata={"description": "KB-JWT 的 iat：持证人生成亮证码的时间"})
    credential_expires_at = ma.fields.DateTime()


CERTIFICATE_EXAMPLE = {
    "id": 3, "type": "resident_id_card", "type_name": "居民身份证", "issuer": "广州市公安局天河分局",
    "status": "expiring", "status_label": "即将到期", "issued_on": "2016-03-01", "expires_on": "2026-03-01",
    "renewal_window_days": 90, "claims": {"name": "张三", "number": "440106199005170014",
                                          "issued_on": "2016-03-01", "expires_on": "2026-03-01",
                                          "birth_date": "1990-05-17", "sex": "male"}}
DEVICE_KEY_EXAMPLE = {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
PRESENTATION_EXAMPLE = "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIiwidHlwIjoiZGMrc2Qtand0In0.eyJpc3Mi...~WyJYdz...XQ~" \
                       "WyJrMm...XQ~eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.eyJpYXQi...In0.Zq9..."


@blp.route("/me/certificates")
class MyCertificates(MethodView):
    @blp.auth(L3, acting=VIEW_CERTIFICATES)
    @blp.response(200, CertificateSchema(many=True), example=[CERTIFICATE_EXAMPLE])
    def get(self):
        """My certificate wallet with each certificate's status today."""
        return wallet.my_certificates(current_principal())


@blp.route("/me/certificates/<int:certificate_id>")
class MyCertificate(MethodView):
    @blp.auth(L3, acting=VIEW_CERTIFICATES)
    @blp.response(200, CertificateSchema, example=CERTIFICATE_EXAMPLE)
    @blp.errors(NotFound)
    def get(self, certificate_id):
        """One of my certificates."""
        return wallet.my_certificate(current_principal(), certificate_id)


@blp.route("/me/certificates/<int:certificate_id>/credential")
class MyCredential(MethodView):
    @blp.auth(L3, acting=SHOW_CERTIFICATES)
    @blp.arguments(CredentialRequestSchema, example={"device_key": DEVICE_KEY_EXAMPLE})
    @blp.response(201, CredentialSchema, example={
        "certificate_id": 3, "certificate_type": "resident_id_card", "certificate_type_name": "居民身份证",
        "sd_jwt": "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIiwidHlwIjoiZGMrc2Qtand0In0.eyJpc3Mi...~WyJYdz...XQ~",
        "disclosures": {"name": "WyJYdzJ...Il0", "age_over_18": "WyJrMm...dWVd"},
        "derived": ["age_over_18", "age_over_60", "valid_on_date", "age_over_65"],
        "claims": [{"name": "name", "label": "姓名", "derived": False},
                   {"name": "age_over_18", "label": "是否年满18周岁", "derived": True}],
        "device_key_thumbprint": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "status_index": 48213,
        "issued_at": "2025-03-01T02:00:00+00:00", "expires_at": "2025-03-31T02:00:00+00:00"})
    @blp.errors(NotFound, CertificateNotShowable, DeviceKeyInvalid, StatusListFull)
    def post(self, body, certificate_id):
        """Issue the certificate as an SD-JWT credential bound to this device's key (a new device re-issues;
        earlier credentials of the certificate are then marked invalid in the status list)."""
        return credentials.issue_credential(current_principal(), certificate_id, body["device_key"])


@blp.route("/status-lists/<int:list_id>")
class StatusList(MethodView):
    @blp.public
    @blp.response(200, {"type": "string", "description": "statuslist+jwt（EdDSA 签名）"},
                  content_type="application/statuslist+jwt",
                  example="eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.eyJzdWIi...")
    @blp.errors(NotFound)
    def get(self, list_id):
        """The credentials' status list (IETF Token Status List, 1 bit each, zlib); public and cacheable."""
        token = status_list.status_list_token(list_id)
        if token is None:
            raise NotFound()
        response = Response(token.token, mimetype="application/statuslist+jwt")
        response.headers["Cache-Control"] = f"public, max-age={token.max_age}"
        return response


@blp.route("/verify")
class Verify(MethodView):
    @blp.public
    @blp.arguments(VerifyRequestSchema, example={"presentation": PRESENTATION_EXAMPLE, "audience": "verifier:abc123",
                                                 "nonce": "kq3Xb2mWcV0"})
    @blp.response(200, VerifyResultSchema, example={
        "certificate_type": "resident_id_card", "certificate_type_name": "居民身份证", "issuer": "公安机关",
        "status": "valid", "status_label": "有效", "claims": {"name": "张三"}, "derived": {"age_over_18": True},
        "mode": "challenge", "presented_at": "2025-03-01T02:00:00+00:00",
        "credential_expires_at": "2025-03-31T02:00:00+00:00"})
    @blp.errors(PresentationMalformed, PresentationSignatureInvalid, KeyBindingInvalid,
                PresentationChallengeMismatch, PresentationStale, CredentialExpired, CertificateRevoked,
                CredentialSuperseded, CertificateExpired, PresentationReplayed, VerifyRateLimited)
    def post(self, body):
        """Verify an SD-JWT+KB presentation online (signature, disclosures, key binding, challenge, expiry,
        status now; each key binding once). Offline verifiers use the JWKS and the status list instead."""
        return verification.verify(body["presentation"], request.remote_addr or "unknown",
                                   audience=body.get("audience"), nonce=body.get("nonce"))
