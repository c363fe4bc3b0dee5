"""Subscribe-message consent as the client reports it from wx.requestSubscribeMessage."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.identity.models import L0
from app.push import consent
from app.push.errors import UnknownTemplate
from app.push.models import CONSENT_STATUSES

blp = Blueprint("push_consent", __name__, url_prefix="/api/v1/me/subscriptions", description="订阅消息授权")

EXAMPLE = [{"template_id": "tmpl-expiry-reminder-0001", "kind": "one_time", "status": "accept", "credits": 2,
            "updated_at": "2026-07-03T02:00:00+00:00"}]


class SubscribeResultsSchema(ma.Schema):
    results = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Length(1, 128)),
                             values=ma.fields.String(validate=ma.validate.OneOf(CONSENT_STATUSES)),
                             required=True, validate=ma.validate.Length(min=1, max=20),
                             metadata={"description": "模板 id → accept|reject|ban|filter"})


class ConsentSchema(ma.Schema):
    template_id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "one_time | long_term"})
    status = ma.fields.String()
    credits = Int(allow_none=True, metadata={"description": "一次性模板剩余可发条数"})
    updated_at = ma.fields.DateTime()


@blp.route("")
class Subscriptions(MethodView):
    @blp.auth(L0)
    @blp.response(200, ConsentSchema(many=True), example=EXAMPLE)
    def get(self):
        """My subscribe-message consents."""
        return consent.my_consents(current_principal().account_id)

    @blp.auth(L0)
    @blp.arguments(SubscribeResultsSchema, example={"results": {"tmpl-expiry-reminder-0001": "accept",
                                                                "tmpl-service-reminder-0002": "reject"}})
    @blp.response(200, ConsentSchema(many=True), example=EXAMPLE)
    @blp.errors(UnknownTemplate)
    def post(self, body):
        """Report what the user answered to wx.requestSubscribeMessage."""
        return consent.record_client_results(current_principal().account_id, body["results"])


class SubscribableSchema(ma.Schema):
    key = ma.fields.String()
    template_id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "one_time 一次性（每次同意可收一条）| long_term 长期"})
    title = ma.fields.String(metadata={"description": "模板标题（中文）"})
    status = ma.fields.String(allow_none=True, metadata={"description": "我的选择；null 表示尚未询问"})
    credits = Int(allow_none=True)


@blp.route("/templates")
class SubscribableTemplates(MethodView):
    @blp.auth(L0)
    @blp.response(200, SubscribableSchema(many=True), example=[
        {"key": "expiry_reminder", "template_id": "tmpl-expiry-reminder-0001", "kind": "one_time",
         "title": "证照到期提醒", "status": "accept", "credits": 1}])
    def get(self):
        """The subscribe templates to ask for with wx.requestSubscribeMessage, with my answer to each."""
        return consent.subscribable(current_principal().account_id)
