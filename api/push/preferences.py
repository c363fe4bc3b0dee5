"""My push preferences: categories on/off, quiet hours (WeChat only), the daily WeChat cap."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.identity.models import L0
from app.push import preferences
from app.push.rules import CATEGORIES
from app.push.why import why_catalogue

blp = Blueprint("push_preferences", __name__, url_prefix="/api/v1/me/notification-preferences",
                description="推送偏好")

CLOCK = ma.validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="时间格式为 HH:MM")
EXAMPLE = {"categories": {c: c != "business" for c in CATEGORIES},
           "quiet_hours": {"start": "22:00", "end": "08:00"}, "daily_cap": 3}


class QuietHoursSchema(ma.Schema):
    start = ma.fields.String(required=True, validate=CLOCK, metadata={"description": "北京时间"})
    end = ma.fields.String(required=True, validate=CLOCK)


class PreferencesSchema(ma.Schema):
    categories = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.OneOf(CATEGORIES)),
                                values=ma.fields.Boolean(), metadata={"description": "各类别是否推送到微信"})
    quiet_hours = ma.fields.Nested(QuietHoursSchema, metadata={"description": "免打扰时段：微信消息顺延"})
    daily_cap = Int(validate=ma.validate.Range(0, preferences.MAX_DAILY_CAP),
                                  metadata={"description": "每天最多微信消息条数"})
    category_labels = ma.fields.Function(lambda _p: why_catalogue().categories, dump_only=True,
                                         metadata={"description": "各类别的中文名称"})


class PreferencesPatchSchema(PreferencesSchema):
    @ma.validates_schema
    def changes_something(self, data: dict, **_kwargs) -> None:
        if not any(data.values()) and data.get("daily_cap") is None:
            raise ma.ValidationError("请至少修改一项：categories、quiet_hours 或 daily_cap", "_schema")


@blp.route("")
class Preferences(MethodView):
    @blp.auth(L0)
    @blp.response(200, PreferencesSchema, example=EXAMPLE)
    def get(self):
        """My push preferences."""
        return preferences.my_preferences(current_principal().account_id)

    @blp.auth(L0)
    @blp.arguments(PreferencesPatchSchema, example={"categories": {"business": False},
                                               "quiet_hours": {"start": "21:30", "end": "07:30"}})
    @blp.response(200, PreferencesSchema, example=EXAMPLE)
    def patch(self, body):
        """Change some of my push preferences (at least one; an empty body is a 422)."""
        return preferences.update_preferences(current_principal().account_id, **body)
