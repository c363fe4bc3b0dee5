"""亲属代办: whom I may act for (the "为谁办理" switch) and the proxy grants I made or hold.

Acting itself is one header on the endpoints that support it (``X-Acting-For``, see
``api.blueprint.Blueprint.auth``); these views only list and manage who may act for whom.
"""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.acting import errors as ae
from app.acting import grants, represented
from app.acting.models import SCOPES
from app.identity.models import L2, L3

blp = Blueprint("acting", __name__, url_prefix="/api/v1", description="亲属代办：为谁办理、代办授权")

GRANT_EXAMPLE = {"id": 7, "side": "granted", "other_name": "*芳", "other_id_number": "4***********************2",
                 "scopes": ["view_certificates", "apply_services"], "status": "active", "recorded_by": "resident",
                 "created_at": "2026-12-01T08:00:00+00:00", "expires_at": "2027-12-01T00:00:00+00:00",
                 "revoked_at": None, "revoked_by": None}


class RepresentedSchema(ma.Schema):
    ref = ma.fields.String(metadata={"description": "代办时放入 X-Acting-For 请求头的值"})
    name = ma.fields.String()
    relation = ma.fields.String(metadata={"description": "guardian（未成年子女）· proxy（对方授权）"})
    relation_label = ma.fields.String()
    scopes = ma.fields.List(ma.fields.String(metadata={"enum": list(SCOPES)}))
    until = ma.fields.String(metadata={"description": "授权截止时间；子女则为其年满18周岁之日（当日起不再代办）"})
    grant_id = Int(allow_none=True)
    has_account = ma.fields.Boolean(metadata={"description": "对方是否已注册（办件、工单、消息须对方有账号）"})


class NewProxyGrantSchema(ma.Schema):
    grantee_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64),
                                    metadata={"description": "代办人姓名"})
    grantee_id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32),
                                         metadata={"description": "代办人身份证号（须已在本平台实名认证）"})
    scopes = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(SCOPES)), required=True,
                            validate=ma.validate.Length(min=1, max=len(SCOPES)))
    expires_at = ma.fields.AwareDateTime(required=True, metadata={"description": "授权截止时间（最长三年）"})


class ProxyGrantSchema(ma.Schema):
    id = Int()
    side = ma.fields.String(metadata={"description": "granted（我授权他人）· received（他人授权我）"})
    other_name = ma.fields.String(metadata={"description": "对方脱敏姓名"})
    other_id_number = ma.fields.String(metadata={"description": "对方脱敏身份证号"})
    scopes = ma.fields.List(ma.fields.String())
    status = ma.fields.String(metadata={"description": "active | expired | revoked"})
    recorded_by = ma.fields.String(metadata={"description": "resident（本人在线授权）· staff（大厅窗口代为登记）"})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)
    revoked_by = ma.fields.String(allow_none=True, metadata={"description": "grantor | grantee | staff"})


@blp.route("/me/acting-for")
class ActingFor(MethodView):
    @blp.auth(L2)
    @blp.response(200, RepresentedSchema(many=True), example=[
        {"ref": "Qm9xW3k2c1ZtcUx0T2hYbQ", "name": "李小明", "relation": "guardian", "relation_label": "监护人",
         "scopes": list(SCOPES), "until": "2032-06-01", "grant_id": None, "has_account": False}])
    def get(self):
        """Whom I may act for now: my children under 18 (household records) and who granted me."""
        return [{**vars(r), "until": r.until.isoformat()} for r in represented.represented(
            current_principal().account_id)]


@blp.route("/me/proxy-grants")
class ProxyGrants(MethodView):
    @blp.auth(L2)
    @blp.response(200, ProxyGrantSchema(many=True), example=[GRANT_EXAMPLE])
    def get(self):
        """Grants I made (or hall staff recorded for me): who may act for me, and in what."""
        return grants.granted_by(current_principal().account_id)

    @blp.auth(L3)
    @blp.arguments(NewProxyGrantSchema, example={"grantee_name": "李芳", "grantee_id_number": "440106199001010013",
                                                 "scopes": ["view_certificates", "apply_services"],
                                                 "expires_at": "2027-12-01T00:00:00+08:00"})
    @blp.response(201, ProxyGrantSchema, example=GRANT_EXAMPLE)
    @blp.errors(ae.ProxyScopeInvalid, ae.ProxyExpiryInvalid, ae.GranteeNotEligible, ae.ProxyAlreadyGranted)
    def post(self, body):
        """Let a verified relative or carer act for me, within scopes, until a date (at most three years);
        it is live at once — they may decline it, and either of us may end it at any time."""
        return grants.grant_as_resident(current_principal(), body["grantee_name"], body["grantee_id_number"],
                                        body["scopes"], body["expires_at"])


@blp.route("/me/proxy-grants/received")
class ReceivedProxyGrants(MethodView):
    @blp.auth(L2)
    @blp.response(200, ProxyGrantSchema(many=True), example=[{**GRANT_EXAMPLE, "side": "received"}])
    def get(self):
        """Grants that let me act for someone."""
        return grants.received_by(current_principal().account_id)


@blp.route("/me/proxy-grants/<int:grant_id>")
class ProxyGrantItem(MethodView):
    @blp.auth(L2)
    @blp.response(204)
    @blp.errors(ae.ProxyGrantNotFound)
    def delete(self, grant_id):
        """End a grant, as the one who made it or the one who holds it (declining it)."""
        grants.revoke_as_resident(current_principal(), grant_id)
