"""My notifications: the inbox, the unread count, marking read — each with "why you got this"."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, paged, window
from api.schemas import Int
from app.acting.models import RECEIVE_REMINDERS
from app.errors import NotFound
from app.identity.models import L0
from app.push import inbox

blp = Blueprint("push_inbox", __name__, url_prefix="/api/v1/me/notifications", description="消息中心")

WHY_EXAMPLE = {"rule": {"id": "id_card_expiring", "version": 1, "trigger": "certificate.expires_on 在 90 天内到期"},
               "facts": {"certificate.type": "resident_id_card", "certificate.number_masked": "4****************4",
                         "certificate.expires_on": "2026-10-01"},
               "text": "您的居民身份证有效期至2026年10月1日，已进入到期前90天的换领提醒期。",
               "matched": [{"label": "证照号码", "value": "4****************4"},
                           {"label": "有效期至", "value": "2026年10月1日"}]}
NOTIFICATION_EXAMPLE = {"id": 12, "category": "certificates", "title": "身份证即将到期",
                        "body": "您的居民身份证（4****************4）将于2026年10月1日到期，请在到期前预约换领。",
                        "page": "pages/certificates/detail?id=3", "rule_id": "id_card_expiring",
                        "created_at": "2026-07-03T00:00:05+00:00", "read_at": None, "read": False, "why": WHY_EXAMPLE}


class NotificationSchema(ma.Schema):
    id = Int()
    category = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    page = ma.fields.String(allow_none=True, metadata={"description": "点击后打开的小程序页面"})
    rule_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)
    read = ma.fields.Function(lambda n: n.read_at is not None)
    why = ma.fields.Dict(metadata={
        "description": "为什么收到：text 是给居民看的一句话（规则自己的说法），"
                       "matched 是匹配到的事实（标签与值，已脱敏）；rule 与 facts 是内部记录"})


class InboxQuerySchema(ma.Schema):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "只看未读"})


class UnreadSchema(ma.Schema):
    unread = Int()


class MarkedSchema(ma.Schema):
    marked = Int(metadata={"description": "本次标为已读的条数"})
    unread = Int()


@blp.route("")
class Notifications(MethodView):
    @blp.auth(L0, acting=RECEIVE_REMINDERS, cached=lambda account_id, _url: inbox.inbox_owner(account_id))
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, NotificationSchema(many=True), example=[NOTIFICATION_EXAMPLE])
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """My notifications, newest first (X-Pagination carries the total)."""
        return paged(pagination_parameters, inbox.list_notifications(
            current_principal().account_id, unread_only=args["unread"], window=window(pagination_parameters)))


@blp.route("/unread-count")
class UnreadCount(MethodView):
    @blp.auth(L0, acting=RECEIVE_REMINDERS, cached=lambda account_id, _url: inbox.inbox_owner(account_id))
    @blp.response(200, UnreadSchema, example={"unread": 3})
    def get(self):
        """How many of my notifications are unread."""
        return {"unread": inbox.unread_count(current_principal().account_id)}


@blp.route("/<int:notification_id>/read")
class MarkRead(MethodView):
    @blp.auth(L0, acting=RECEIVE_REMINDERS)
    @blp.response(200, NotificationSchema, example={**NOTIFICATION_EXAMPLE, "read": True,
                                                     "read_at": "2026-07-03T02:00:00+00:00"})
    @blp.errors(NotFound)
    def post(self, notification_id):
        """Mark one of my notifications read."""
        return inbox.mark_read(current_principal().account_id, notification_id)


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @blp.auth(L0, acting=RECEIVE_REMINDERS)
    @blp.response(200, MarkedSchema, example={"marked": 3, "unread": 0})
    def post(self):
        """Mark all my notifications read."""
        account_id = current_principal().account_id
        return {"marked": inbox.mark_all_read(account_id), "unread": inbox.unread_count(account_id)}
