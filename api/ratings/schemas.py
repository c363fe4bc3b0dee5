"""好差评's request and response schemas, with the examples the OpenAPI document shows."""

from __future__ import annotations

import marshmallow as ma

from api.schemas import Int
from app.ratings import aggregates, holds, rectification
from app.ratings.models import SCALE

SCALE_TEXT = " · ".join(f"{score} {name}" for score, name in SCALE.items())


class RateSchema(ma.Schema):
    """A rating, or a change of one: a comment or tags left out are kept (null / [] clear them)."""

    score = Int(required=True, validate=ma.validate.Range(1, 5), metadata={"description": SCALE_TEXT})
    comment = ma.fields.String(validate=ma.validate.Length(max=1000), allow_none=True,
                               metadata={"description": "修改评价时不传则保留原评语"})
    tags = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=20)),
                          validate=ma.validate.Length(max=10), metadata={"description": "修改评价时不传则保留原标签"})


class RatingSchema(ma.Schema):
    id = Int()
    ticket_id = Int(allow_none=True)
    service_id = Int()
    score = Int()
    comment = ma.fields.String(allow_none=True)
    tags = ma.fields.List(ma.fields.String())
    source = ma.fields.String(metadata={"description": "requester 本人评价 · default 办结7天未评价，默认基本满意"})
    original_score = Int(allow_none=True, metadata={"description": "整改后再评价前的分数"})
    rerated_at = ma.fields.DateTime(allow_none=True)
    held_for_review = ma.fields.Boolean(metadata={"description": "true 短时间内集中评价，待复核后才计入统计"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class FollowUpSchema(ma.Schema):
    at = ma.fields.DateTime()
    staff = ma.fields.String()
    note = ma.fields.String()


class CaseRatingSchema(ma.Schema):
    id = Int()
    score = Int()
    comment = ma.fields.String(allow_none=True)
    tags = ma.fields.List(ma.fields.String())
    ticket_id = Int(allow_none=True)
    service_id = Int()
    original_score = Int(allow_none=True)
    rerated_at = ma.fields.DateTime(allow_none=True)
    excluded = ma.fields.Boolean(metadata={"description": "申诉成立，不计入统计"})


class AppealSchema(ma.Schema):
    reason = ma.fields.String()
    filed_by = ma.fields.String(metadata={"description": "申诉人（工作人员显示名）"})
    filed_at = ma.fields.DateTime()
    decision = ma.fields.String(allow_none=True, metadata={"description": "upheld 成立 · rejected 驳回 · null 待审核"})
    decision_note = ma.fields.String(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)


class CaseSchema(ma.Schema):
    id = Int()
    state = ma.fields.String(metadata={"description": "open 整改中 · appealed 申诉审核中 · rectified 已整改 · "
                                                      "voided 申诉成立已撤销"})
    department_id = Int()
    opened_at = ma.fields.DateTime()
    due = ma.fields.DateTime()
    due_estimated = ma.fields.Boolean()
    overdue = ma.fields.Boolean()
    rating = ma.fields.Nested(CaseRatingSchema)
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpSchema))
    outcome = ma.fields.String(allow_none=True)
    outcome_at = ma.fields.DateTime(allow_none=True)
    appeal = ma.fields.Nested(AppealSchema, allow_none=True)


class CaseQuerySchema(ma.Schema):
    state = ma.fields.String(validate=ma.validate.OneOf(rectification.STATES))


class AppealQuerySchema(ma.Schema):
    pending = ma.fields.Boolean(metadata={"description": "true 只看待审核 · false 只看已审核 · 不填为全部"})


class AppealFilingSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=5, max=2000))


class AppealDecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf([rectification.UPHELD,
                                                                           rectification.REJECTED]))
    note = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class NoteSchema(ma.Schema):
    note = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class OutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class HeldRatingSchema(ma.Schema):
    id = Int()
    service_id = Int()
    department_id = Int()
    ticket_id = Int(allow_none=True)
    score = Int()
    comment = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    held_for_review = ma.fields.Boolean(metadata={"description": "true 待复核，不计入统计"})
    excluded = ma.fields.Boolean(metadata={"description": "true 复核后不计入"})


class HoldReviewSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf([holds.COUNT, holds.DISCARD]),
                                metadata={"description": "count 计入统计 · discard 不计入"})


class AggregateQuerySchema(ma.Schema):
    group_by = ma.fields.String(required=True, validate=ma.validate.OneOf(aggregates.GROUPS))
    month = ma.fields.String(validate=ma.validate.Regexp(r"^\d{4}-\d{2}$"), metadata={"description": "YYYY-MM"})
    department_id = Int()


class AggregateSchema(ma.Schema):
    key = ma.fields.Raw(allow_none=True, metadata={"description": "部门/事项/工作人员 id，或月份 YYYY-MM"})
    label = ma.fields.String(allow_none=True)
    count = Int()
    average = ma.fields.Float()
    bad = Int()
    bad_share = ma.fields.Float()
    rectification_cases = Int()
    rectified_on_time = Int()
    rectified_on_time_share = ma.fields.Float(allow_none=True)


RATE_EXAMPLE = {"score": 2, "comment": "回复太慢", "tags": ["响应慢"]}
RATING_EXAMPLE = {"id": 7, "ticket_id": 12, "service_id": 1, "score": 2, "comment": "回复太慢", "tags": ["响应慢"],
                  "source": "requester", "original_score": None, "rerated_at": None, "held_for_review": False,
                  "created_at": "2025-10-10T02:00:00+00:00", "updated_at": "2025-10-10T02:00:00+00:00"}
CASE_EXAMPLE = {"id": 3, "state": "open", "department_id": 1, "opened_at": "2025-10-10T02:00:00+00:00",
                "due": "2025-10-31T15:59:59.999999+00:00", "due_estimated": False, "overdue": False,
                "rating": {"id": 7, "score": 2, "comment": "回复太慢", "tags": ["响应慢"], "ticket_id": 12,
                           "service_id": 1, "original_score": None, "rerated_at": None, "excluded": False},
                "follow_ups": [], "outcome": None, "outcome_at": None, "appeal": None}
APPEAL_EXAMPLE = {"reason": "申请人评价内容与本工单无关", "filed_by": "公安厅值班主管",
                  "filed_at": "2025-10-11T02:00:00+00:00", "decision": None, "decision_note": None,
                  "decided_by": None, "decided_at": None}
