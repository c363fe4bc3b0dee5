"""Schemas and examples of the ticket endpoints (residents' and staff's)."""

from __future__ import annotations

import marshmallow as ma

from api.schemas import Int
from app.tickets.lifecycle import CONTACT_PREFERENCES, STAFF_ACTIONS, STAFF_STEPS, STATES
from app.tickets.sla import KINDS


class NewTicketSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS), metadata={
        "description": "consultation 咨询 · complaint 投诉 · suggestion 建议 · help 求助"})
    service_id = Int(required=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    contact_preference = ma.fields.String(load_default="message", validate=ma.validate.OneOf(CONTACT_PREFERENCES))
    entity_uscc = ma.fields.String(validate=ma.validate.Length(equal=18), metadata={
        "description": "为企业办理时填写其统一社会信用代码（需为法定代表人或有 manage_tickets 授权的经办人）"})


class MyTicketsQuerySchema(ma.Schema):
    entity_uscc = ma.fields.String(validate=ma.validate.Length(equal=18), metadata={
        "description": "填写则列出该企业的全部工单（需为法定代表人或有 manage_tickets 授权的经办人）"})


class NamedRefSchema(ma.Schema):
    id = Int()
    name = ma.fields.String()


class TicketSchema(ma.Schema):
    id = Int()
    kind = ma.fields.String()
    state = ma.fields.String(metadata={"description": " · ".join(STATES)})
    title = ma.fields.String()
    description = ma.fields.String()
    contact_preference = ma.fields.String()
    service = ma.fields.Nested(NamedRefSchema)
    department = ma.fields.Nested(NamedRefSchema)
    handler = ma.fields.String(allow_none=True, metadata={"description": "承办人显示名称"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    first_response_due = ma.fields.DateTime()
    first_response_at = ma.fields.DateTime(allow_none=True)
    resolution_due = ma.fields.DateTime()
    sla_estimated = ma.fields.Boolean(metadata={"description": "期限所在年份尚无官方节假日数据，按周末估算"})
    resolved_at = ma.fields.DateTime(allow_none=True)
    reopen_until = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    entity_uscc = ma.fields.String(allow_none=True, metadata={"description": "代企业办理时的企业代码"})
    overdue = ma.fields.Boolean()
    first_response_overdue = ma.fields.Boolean()
    resolution_overdue = ma.fields.Boolean()


class MyRatingSchema(ma.Schema):
    id = Int()
    score = Int()
    comment = ma.fields.String(allow_none=True)
    tags = ma.fields.List(ma.fields.String())
    source = ma.fields.String(metadata={"description": "requester 本人评价 · default 办结7天未评价，默认基本满意"})
    original_score = Int(allow_none=True, metadata={"description": "整改后再评价前的分数"})
    can_rerate = ma.fields.Boolean(metadata={"description": "差评已整改、尚未再评价：可再评价一次"})


class RequesterTicketSchema(TicketSchema):
    rating = ma.fields.Nested(MyRatingSchema, allow_none=True, metadata={"description": "我的评价（未评价为 null）"})


class StaffTicketSchema(TicketSchema):
    assignee_id = Int(allow_none=True)
    actions = ma.fields.List(ma.fields.String(), metadata={
        "description": "我现在可执行的操作（只含会被接受的）：" + " · ".join(STAFF_ACTIONS)})
    at_risk = ma.fields.Boolean(metadata={"description": "仅 SLA 监控：未超期但下一个工作日内到期"})


class TicketEventSchema(ma.Schema):
    id = Int()
    at = ma.fields.DateTime()
    kind = ma.fields.String()
    label = ma.fields.String(metadata={"description": "事件的中文名称，如「认领」「请申请人补充」"})
    from_state = ma.fields.String(allow_none=True)
    to_state = ma.fields.String(allow_none=True)
    actor = ma.fields.String(allow_none=True, metadata={"description": "申请人 · 系统 · 工作人员显示名称"})
    details = ma.fields.Dict()


class MessageSchema(ma.Schema):
    id = Int()
    at = ma.fields.DateTime()
    author_type = ma.fields.String()
    author_name = ma.fields.String()
    body = ma.fields.String()


class NewMessageSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class StepSchema(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(STAFF_STEPS))
    note = ma.fields.String(validate=ma.validate.Length(max=500),
                            metadata={"description": "办结（resolve）时必填：办理结果"})


class AssignSchema(ma.Schema):
    staff_id = Int(required=True)


class TransferSchema(ma.Schema):
    department_id = Int(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class QueueQuerySchema(ma.Schema):
    department_id = Int()
    state = ma.fields.String(validate=ma.validate.OneOf(STATES))
    overdue = ma.fields.Boolean()
    assignee = ma.fields.String(validate=ma.validate.Regexp(r"^(me|none|\d+)$"),
                                metadata={"description": "me · none（未分派）· 工作人员 id"})


class RequesterDetailsSchema(ma.Schema):
    ticket_id = Int()
    name = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    contact_preference = ma.fields.String()


TICKET_EXAMPLE = {
    "id": 12, "kind": "consultation", "state": "in_progress", "title": "身份证换领需要带什么材料",
    "description": "身份证明年到期，想提前换领。", "contact_preference": "message",
    "service": {"id": 1, "name": "居民身份证换领"}, "department": {"id": 1, "name": "广东省公安厅"},
    "handler": "公安厅工作人员 001号", "created_at": "2025-09-30T02:00:00+00:00",
    "updated_at": "2025-09-30T03:00:00+00:00", "first_response_due": "2025-10-09T15:59:59.999999+00:00",
    "first_response_at": "2025-09-30T03:00:00+00:00", "resolution_due": "2025-10-10T15:59:59.999999+00:00",
    "sla_estimated": False, "resolved_at": None, "reopen_until": None, "closed_at": None, "overdue": False,
    "first_response_overdue": False, "resolution_overdue": False,
}
NEW_TICKET_EXAMPLE = {"kind": "consultation", "service_id": 1, "title": "身份证换领需要带什么材料",
                      "description": "身份证明年到期，想提前换领。", "contact_preference": "message"}
EVENT_EXAMPLE = {"id": 3, "at": "2025-09-30T03:00:00+00:00", "kind": "start", "label": "开始办理",
                 "from_state": "assigned",
                 "to_state": "in_progress", "actor": "公安厅工作人员 001号", "details": {}}
MESSAGE_EXAMPLE = {"id": 5, "at": "2025-09-30T03:00:00+00:00", "author_type": "staff",
                   "author_name": "公安厅工作人员 001号", "body": "请携带原身份证到任一派出所办理。"}
