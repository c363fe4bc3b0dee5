"""Resident endpoints of the lifecycle profile: my profile, my life events, who read my data."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, paged, window
from api.schemas import Int
from app.errors import NotFound
from app.identity.models import L2
from app.people import access_log, profile, timeline
from app.people import errors as pe
from app.people.events_catalogue import EVENT_TYPES

blp = Blueprint("people", __name__, url_prefix="/api/v1/me", description="个人全生命周期档案")


class AddressSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "household 户籍地址 · residence 居住地址"})
    address = ma.fields.String(metadata={"description": "L3 时完整显示，否则脱敏"})
    area_code = ma.fields.String(allow_none=True)


class RelativeSchema(ma.Schema):
    relation = ma.fields.String(metadata={"description": "parent · child · spouse"})
    name = ma.fields.String(allow_none=True, metadata={"description": "脱敏姓名"})
    birth_date = ma.fields.Date()
    sex = ma.fields.String()


class ProfileSchema(ma.Schema):
    name = ma.fields.String(allow_none=True)
    id_number = ma.fields.String()
    masked = ma.fields.Boolean(metadata={"description": "仅本人在 L3 时显示完整信息"})
    birth_date = ma.fields.Date()
    sex = ma.fields.String(metadata={"description": "male · female（由身份证号得出）"})
    area_code = ma.fields.String()
    addresses = ma.fields.List(ma.fields.Nested(AddressSchema))
    household = ma.fields.List(ma.fields.Nested(RelativeSchema))


class LifeEventSchema(ma.Schema):
    id = Int(dump_only=True)
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(EVENT_TYPES)),
                            metadata={"description": "可自行申报：employment、relocation"})
    date = ma.fields.Date(required=True, attribute="occurred_on")
    source = ma.fields.String(dump_only=True, metadata={"description": "authority 部门提供 · self 本人申报"})
    payload = ma.fields.Dict(load_default=dict, metadata={"description": "按事件类型校验"})
    recorded_at = ma.fields.DateTime(dump_only=True)


class AccessEntrySchema(ma.Schema):
    at = ma.fields.DateTime()
    actor_type = ma.fields.String(metadata={"description": "staff · authority · verifier · system · outside"})
    actor = ma.fields.String(metadata={"description": "谁：如「广东省公安厅 工作人员 001号」「公安机关人口信息库」"})
    data = ma.fields.List(ma.fields.String(), metadata={"description": "读取或提供了哪些数据（中文名称）"})
    purpose = ma.fields.String(allow_none=True, metadata={"description": "为什么"})
    details = ma.fields.Dict()


PROFILE_EXAMPLE = {
    "name": "*三", "id_number": "4****************3", "masked": True, "birth_date": "1990-05-17", "sex": "male",
    "area_code": "440106", "addresses": [{"kind": "household", "address": "广东省广州市****", "area_code": "440106"}],
    "household": [{"relation": "child", "name": "*宝", "birth_date": "2020-03-01", "sex": "female"}]}
EVENT_EXAMPLE = {"id": 7, "type": "employment", "date": "2024-07-01", "source": "self",
                 "payload": {"employer": "广州某科技有限公司"}, "recorded_at": "2024-07-02T01:00:00+00:00"}


@blp.route("/profile")
class MyProfile(MethodView):
    @blp.auth(L2)
    @blp.response(200, ProfileSchema, example=PROFILE_EXAMPLE)
    def get(self):
        """My person record: identity (masked below L3), addresses, household links."""
        return profile.my_profile(current_principal())


@blp.route("/life-events")
class MyLifeEvents(MethodView):
    @blp.auth(L2)
    @blp.response(200, LifeEventSchema(many=True), example=[EVENT_EXAMPLE])
    @blp.paginate()
    def get(self, pagination_parameters):
        """My life-event timeline, newest first."""
        return paged(pagination_parameters, timeline.my_events(current_principal(), window(pagination_parameters)))

    @blp.auth(L2)
    @blp.arguments(LifeEventSchema, example={"type": "relocation", "date": "2025-03-01",
                                             "payload": {"to_area_code": "440305", "reason": "work"}})
    @blp.response(201, LifeEventSchema, example=EVENT_EXAMPLE)
    @blp.errors(NotFound, pe.LifeEventTypeUnknown, pe.LifeEventPayloadInvalid,
                pe.LifeEventNotSelfReportable, pe.LifeEventDateInFuture)
    def post(self, body):
        """Report an event myself (employment, relocation)."""
        return timeline.report_event(current_principal(), body["type"], body["occurred_on"], body["payload"])


@blp.route("/access-log")
class MyAccessLog(MethodView):
    @blp.auth(L2)
    @blp.response(200, AccessEntrySchema(many=True), example=[{
        "at": "2025-03-01T02:00:00+00:00", "actor_type": "verifier", "actor": "扫码核验方",
        "data": ["电子证照：居民身份证", "姓名", "是否年满18周岁"], "purpose": "核验您出示的电子证照",
        "details": {"audience": "yss:counter"}}, {
        "at": "2025-02-28T09:30:00+00:00", "actor_type": "staff", "actor": "广东省公安厅 工作人员 001号",
        "data": ["姓名", "手机号"], "purpose": "联系您处理工单", "details": {"ticket_id": 5}}, {
        "at": "2025-02-01T01:00:00+00:00", "actor_type": "outside", "actor": "公安机关人口信息库",
        "data": ["姓名", "身份证号"], "purpose": "实名认证：核对您填写的姓名与身份证号是否一致", "details": {}}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Who read my data or received it from yss, which data, why and when (newest first)."""
        page = access_log.my_access_log(current_principal(), window(pagination_parameters))
        return paged(pagination_parameters, page)
