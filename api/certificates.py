"""The certificate wallet, showing (亮证), and public verification."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.certificates import errors as ce
from app.certificates import showing, verification, wallet
from app.errors import NotFound
from app.identity.models import L3

blp = Blueprint("certificates", __name__, url_prefix="/api/v1", description="电子证照与亮证核验")


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


class ShowRequestSchema(ma.Schema):
    disclose = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=40)), load_default=list,
                              validate=ma.validate.Length(max=20), metadata={"description": "要出示的信息项"})
    derived = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(showing.DERIVED_CLAIMS)),
                             load_default=list, metadata={"description": "推导信息：age_over_18 · age_over_60 · "
                                                                          "valid_on_date"})


class ShowSchema(ma.Schema):
    show_id = ma.fields.String()
    payload = ma.fields.String(metadata={"description": "二维码内容（≤ 1000 字节，Ed25519 签名）"})
    qr_png_base64 = ma.fields.String(metadata={"description": "二维码 PNG（base64）"})
    expires_at = ma.fields.DateTime()


class VerificationSchema(ma.Schema):
    verified_at = ma.fields.DateTime()
    outcome = ma.fields.String(metadata={"description": "ok · show_expired · certificate_revoked · "
                                                        "certificate_expired"})


class ShowListItemSchema(ma.Schema):
    id = ma.fields.String()
    certificate_id = Int()
    certificate_type = ma.fields.String()
    disclosed = ma.fields.List(ma.fields.String())
    derived = ma.fields.List(ma.fields.String())
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    verifications = ma.fields.List(ma.fields.Nested(VerificationSchema))


class VerifyRequestSchema(ma.Schema):
    payload = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class VerifyResultSchema(ma.Schema):
    certificate_type = ma.fields.String()
    certificate_type_name = ma.fields.String()
    issuer = ma.fields.String()
    status = ma.fields.String(metadata={"description": "核验时证照的状态：valid · expiring"})
    status_label = ma.fields.String()
    claims = ma.fields.Dict(metadata={"description": "持证人选择出示的信息项，仅此而已"})
    derived = ma.fields.Dict(metadata={"description": "推导信息，如 age_over_18"})
    shown_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()


CERTIFICATE_EXAMPLE = {
    "id": 3, "type": "resident_id_card", "type_name": "居民身份证", "issuer": "广州市公安局天河分局",
    "status": "expiring", "status_label": "即将到期", "issued_on": "2016-03-01", "expires_on": "2026-03-01",
    "renewal_window_days": 90, "claims": {"name": "张三", "number": "440106199005170013",
                                          "issued_on": "2016-03-01", "expires_on": "2026-03-01",
                                          "birth_date": "1990-05-17", "sex": "male"}}
PAYLOAD_EXAMPLE = "YSS1.eyJkIjpbIk...In0.q8v1...~WyJ0bE...XQ~WyJmZ...dIl0"
SHOW_EXAMPLE = {"show_id": "9fQ2m1Zk0bW4xY7a", "payload": PAYLOAD_EXAMPLE, "qr_png_base64": "iVBORw0KGgo...",
                "expires_at": "2025-03-01T02:03:00+00:00"}


@blp.route("/me/certificates")
class MyCertificates(MethodView):
    @blp.auth(L3)
    @blp.response(200, CertificateSchema(many=True), example=[CERTIFICATE_EXAMPLE])
    def get(self):
        """My certificate wallet with each certificate's status today."""
        return wallet.my_certificates(current_principal())


@blp.route("/me/certificates/<int:certificate_id>")
class MyCertificate(MethodView):
    @blp.auth(L3)
    @blp.response(200, CertificateSchema, example=CERTIFICATE_EXAMPLE)
    @blp.errors(NotFound)
    def get(self, certificate_id):
        """One of my certificates."""
        return wallet.my_certificate(current_principal(), certificate_id)


@blp.route("/me/certificates/<int:certificate_id>/shows")
class CertificateShows(MethodView):
    @blp.auth(L3)
    @blp.arguments(ShowRequestSchema, example={"disclose": ["name", "expires_on"], "derived": ["age_over_18"]})
    @blp.response(201, ShowSchema, example=SHOW_EXAMPLE)
    @blp.errors(NotFound, ce.CertificateNotShowable, ce.ShowClaimsUnknown, ce.ShowClaimsEmpty, ce.ShowTooLarge)
    def post(self, body, certificate_id):
        """Show a certificate: a QR payload disclosing only the chosen claims, good for 3 minutes."""
        return showing.show_certificate(current_principal(), certificate_id, body["disclose"], body["derived"])


@blp.route("/me/shows")
class MyShows(MethodView):
    @blp.auth(L3)
    @blp.response(200, ShowListItemSchema(many=True), example=[{
        "id": "9fQ2m1Zk0bW4xY7a", "certificate_id": 3, "certificate_type": "resident_id_card",
        "disclosed": ["name"], "derived": ["age_over_18"], "created_at": "2025-03-01T02:00:00+00:00",
        "expires_at": "2025-03-01T02:03:00+00:00",
        "verifications": [{"verified_at": "2025-03-01T02:01:00+00:00", "outcome": "ok"}]}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """My shows, newest first, each with the verifications it got."""
        shows, pagination_parameters.item_count = showing.my_shows(
            current_principal(), pagination_parameters.page, pagination_parameters.page_size)
        return shows


@blp.route("/verify")
class Verify(MethodView):
    @blp.public
    @blp.arguments(VerifyRequestSchema, example={"payload": PAYLOAD_EXAMPLE})
    @blp.response(200, VerifyResultSchema, example={
        "certificate_type": "resident_id_card", "certificate_type_name": "居民身份证", "issuer": "公安机关",
        "status": "valid", "status_label": "有效", "claims": {"name": "张三"}, "derived": {"age_over_18": True},
        "shown_at": "2025-03-01T02:00:00+00:00", "expires_at": "2025-03-01T02:03:00+00:00"})
    @blp.errors(ce.ShowMalformed, ce.ShowSignatureInvalid, ce.ShowExpired,
                ce.CertificateRevoked, ce.CertificateExpired, ce.VerifyRateLimited)
    def post(self, body):
        """Verify a shown certificate's QR payload (anyone; offline verifiers use the JWKS)."""
        return verification.verify_show(body["payload"], request.remote_addr or "unknown")
