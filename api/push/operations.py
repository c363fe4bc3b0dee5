"""Staff operations on push delivery: figures per rule and state, failures and why, dead letters, requeue."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_staff, paged, window
from api.schemas import Int
from app.errors import NotFound
from app.push import operations
from app.staff.models import SUPERVISOR

blp = Blueprint("push_operations", __name__, url_prefix="/api/v1/staff/push", description="推送运营（工作人员）")

DELIVERY_EXAMPLE = {"id": 7, "notification_id": 12, "rule_id": "id_card_expiring", "template_id": "tmpl-notice-0004",
                    "state": "failed", "reason": "retries_exhausted:errcode_-1", "attempts": 10,
                    "updated_at": "2026-07-03T04:00:00+00:00"}


class FigureSchema(ma.Schema):
    rule_id = ma.fields.String()
    state = ma.fields.String()
    count = Int()


class DeliverySchema(ma.Schema):
    id = Int()
    notification_id = Int()
    rule_id = ma.fields.String(allow_none=True)
    template_id = ma.fields.String()
    state = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    attempts = Int()
    updated_at = ma.fields.DateTime()


@blp.route("/figures")
class Figures(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, FigureSchema(many=True), example=[{"rule_id": "id_card_expiring", "state": "sent",
                                                          "count": 1280}])
    def get(self):
        """Delivery counts per rule and state."""
        return operations.delivery_figures()


class FailureSchema(ma.Schema):
    id = Int()
    notification_id = Int()
    account_id = Int()
    rule_id = ma.fields.String(allow_none=True)
    template_id = ma.fields.String()
    reason = ma.fields.String(metadata={"description": "machine reason, `<kind>:<WeChat errcode or cause>`"})
    reason_text = ma.fields.String(metadata={"description": "the reason in words"})
    requeueable = ma.fields.Boolean(metadata={"description": "a dead letter: POST …/dead-letters/<id>/requeue"})
    attempts = Int()
    updated_at = ma.fields.DateTime()


@blp.route("/failures")
class Failures(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, FailureSchema(many=True), example=[{
        "id": 9, "notification_id": 31, "account_id": 4, "rule_id": "ticket_notice",
        "template_id": "tmpl-notice-0004", "reason": "invalid_template:40037",
        "reason_text": operations.REASON_TEXT["invalid_template"], "requeueable": False, "attempts": 1,
        "updated_at": "2026-07-03T04:00:00+00:00"}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Failed WeChat deliveries, newest first, each with why it failed (supervisors and above)."""
        return paged(pagination_parameters, operations.failures(window(pagination_parameters)))


@blp.route("/dead-letters")
class DeadLetters(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, DeliverySchema(many=True), example=[DELIVERY_EXAMPLE])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Deliveries that gave up (retries exhausted, interrupted mid-send)."""
        return paged(pagination_parameters, operations.dead_letters(window(pagination_parameters)))


@blp.route("/dead-letters/<int:delivery_id>/requeue")
class Requeue(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, DeliverySchema, example={**DELIVERY_EXAMPLE, "state": "pending", "reason": "requeued",
                                                 "attempts": 0})
    @blp.errors(NotFound)
    def post(self, delivery_id):
        """Requeue one dead letter for a fresh round of attempts."""
        return operations.requeue(delivery_id, current_staff().staff_id)
