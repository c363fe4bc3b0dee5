"""Licences: an entity's own licences (acting for it), and the public status check."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, kept_json, paged, window
from api.schemas import USCC_EXAMPLE, Int
from app.errors import NotFound
from app.identity.models import L2
from app.licences import holdings, public_check
from app.licences.errors import LicenceNotFound
from app.licences.models import CHANGE_STATUSES, licences_owner
from app.licences.status import STATUSES

blp = Blueprint("licences", __name__, url_prefix="/api/v1", description="许可证：状态查询与公开核验")



class LicenceQuerySchema(ma.Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES),
                              metadata={"description": "按状态筛选（expiring / expired 按当日推算）"})


class StatusChangeSchema(ma.Schema):
    state = ma.fields.String()
    from_state = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)
    recorded_at = ma.fields.DateTime()
    status = ma.fields.String(metadata={
        "enum": list(CHANGE_STATUSES),
        "description": ("applied 已生效；scheduled 待生效（生效日期晚于收到之日）；"
                        "superseded 生效前被后来的决定取代，未生效")})
    applied_at = ma.fields.DateTime(allow_none=True, metadata={"description": "生效时间（scheduled、superseded 为空）"})


class LicenceSchema(ma.Schema):
    id = Int()
    number = ma.fields.String()
    licence_type = ma.fields.String()
    licence_type_name = ma.fields.String()
    issuer = ma.fields.String()
    issued_on = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    status_reason = ma.fields.String(allow_none=True)
    renewal_opens_on = ma.fields.Date(allow_none=True, metadata={"description": "可申请延续的起始日"})
    scheduled = ma.fields.List(ma.fields.Nested(StatusChangeSchema), metadata={
        "description": "已收到、尚未到生效日期的状态决定（按生效顺序）；生效前 status 不变"})


class LicenceDetailSchema(LicenceSchema):
    history = ma.fields.List(ma.fields.Nested(StatusChangeSchema))


class CheckQuerySchema(ma.Schema):
    number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    uscc = ma.fields.String(validate=ma.validate.Length(max=32), metadata={"description": "可选：持证主体代码"})


class BulkCheckSchema(ma.Schema):
    numbers = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=64)), required=True,
                             validate=ma.validate.Length(min=1, max=public_check.MAX_BULK))
    uscc = ma.fields.String(validate=ma.validate.Length(max=32))


class PublicLicenceSchema(ma.Schema):
    number = ma.fields.String()
    found = ma.fields.Boolean()
    licence_type = ma.fields.String()
    licence_type_name = ma.fields.String()
    issuer = ma.fields.String()
    holder_name = ma.fields.String()
    holder_uscc = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    status_name = ma.fields.String(metadata={"description": "状态的中文名称：有效、即将到期、已过期、暂扣、吊销、注销"})
    status_reason = ma.fields.String(allow_none=True,
                                     metadata={"description": "暂扣、吊销、注销的原因（发证机关决定）"})
    issued_on = ma.fields.String()
    valid_until = ma.fields.String(allow_none=True)


class BulkResultSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(PublicLicenceSchema))


LICENCE_EXAMPLE = {"id": 3, "number": "JY14401040012345", "licence_type": "food_business_licence",
                   "licence_type_name": "食品经营许可证", "issuer": "广州市越秀区市场监督管理局",
                   "issued_on": "2022-01-10", "valid_until": "2027-01-09", "status": "expiring",
                   "status_reason": None, "renewal_opens_on": "2026-12-10", "scheduled": [
                       {"state": "suspended", "from_state": "valid", "reason": "现场检查发现食品安全隐患，责令停业整改",
                        "effective_on": "2026-12-01", "recorded_at": "2026-11-28T08:00:00+00:00",
                        "status": "scheduled", "applied_at": None}]}
PUBLIC_EXAMPLE = {"number": "JY14401040012345", "found": True, "licence_type": "food_business_licence",
                  "licence_type_name": "食品经营许可证", "issuer": "广州市越秀区市场监督管理局",
                  "holder_name": "广州市越秀区示例餐饮有限公司", "holder_uscc": USCC_EXAMPLE, "status": "valid",
                  "status_name": "有效", "status_reason": None, "issued_on": "2022-01-10", "valid_until": "2027-01-09"}


@blp.route("/entities/<uscc>/licences")
class EntityLicences(MethodView):
    @blp.auth(L2, cached=lambda _account_id, url: licences_owner(url["uscc"]))
    @blp.arguments(LicenceQuerySchema, location="query")
    @blp.response(200, LicenceSchema(many=True), example=[LICENCE_EXAMPLE])
    @blp.errors(NotFound)
    @blp.paginate()
    def get(self, query, uscc, pagination_parameters):
        """The entity's licences with their status today (and decisions scheduled for later), optionally filtered."""
        return paged(pagination_parameters, holdings.entity_licences(
            current_principal().account_id, uscc, query.get("status"), window(pagination_parameters)))


@blp.route("/entities/<uscc>/licences/<int:licence_id>")
class EntityLicence(MethodView):
    @blp.auth(L2)
    @blp.response(200, LicenceDetailSchema, example={**LICENCE_EXAMPLE, "history": [
        *LICENCE_EXAMPLE["scheduled"],
        {"state": "valid", "from_state": None, "reason": "发证", "effective_on": "2022-01-10",
         "recorded_at": "2022-01-10T02:00:00+00:00", "status": "applied",
         "applied_at": "2022-01-10T02:00:00+00:00"}]})
    @blp.errors(NotFound)
    def get(self, uscc, licence_id):
        """One of the entity's licences with its status history (newest first, scheduled decisions included)."""
        return holdings.entity_licence(current_principal().account_id, uscc, licence_id)


@blp.route("/licences/check")
class LicenceCheck(MethodView):
    @blp.public
    @blp.arguments(CheckQuerySchema, location="query")
    @blp.response(200, PublicLicenceSchema, example=PUBLIC_EXAMPLE)
    @blp.errors(LicenceNotFound)
    def get(self, query):
        """Check one licence's status by its number (public fields only, no login)."""
        answer = public_check.check_licence(query["number"], query.get("uscc"), request.remote_addr or "")
        return kept_json(answer.text)  # PublicLicenceSchema's fields, as public_check keeps them

    get.reads_redis_first = True  # the request's rate limit joins the cache read (one round trip)

    @blp.public
    @blp.arguments(BulkCheckSchema, example={"numbers": ["JY14401040012345", "GD-NOT-KNOWN"]})
    @blp.response(200, BulkResultSchema, example={"results": [PUBLIC_EXAMPLE,
                                                              {"number": "GD-NOT-KNOWN", "found": False}]})
    def post(self, body):
        """Check up to 100 licences at once (public fields only, no login)."""
        return {"results": public_check.check_licences(body["numbers"], body.get("uscc"),
                                                       request.remote_addr or "")}
