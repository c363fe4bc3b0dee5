"""Schemas and examples of the 办事 API: service guides, applications, their events and uploads."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from api.schemas import Int
from app.applications.guides import APPLICANTS
from app.applications.lifecycle import STATES


class GuideQuerySchema(ma.Schema):
    q = ma.fields.String(validate=ma.validate.Length(max=50),
                         metadata={"description": "关键词（中文，空格分隔，全部匹配）"})
    department = ma.fields.String(validate=ma.validate.Length(max=64), metadata={"description": "部门代码，如 gd-gat"})
    applicant = ma.fields.String(validate=ma.validate.OneOf(APPLICANTS[:2]),
                      metadata={"description": "person 个人可办 · entity 企业可办"})


class FieldSpecSchema(ma.Schema):
    key = ma.fields.String()
    label = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "text · date · choice"})
    required = ma.fields.Boolean()
    choices = ma.fields.List(ma.fields.String())
    max_length = Int()
    source = ma.fields.String(allow_none=True, metadata={"description": "预填来源，如 person.name"})
    authoritative = ma.fields.Boolean(metadata={"description": "权威数据：申请人不能修改"})


class MaterialSpecSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    by = ma.fields.String(metadata={"description": "certificate 电子证照免提交 · licence 企业许可证 · fact 数据共享 · "
                                        "upload 上传"})
    type = ma.fields.String(allow_none=True)
    source = ma.fields.String(allow_none=True)
    required = ma.fields.Boolean()


class ResultSpecSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "certificate · licence · decision"})
    type = ma.fields.String(allow_none=True)
    valid_years = Int(allow_none=True)


class ConditionSchema(ma.Schema):
    fact = ma.fields.String()
    op = ma.fields.String()
    value = ma.fields.Raw()


class DecisionRuleSchema(ma.Schema):
    id = ma.fields.String()
    version = Int()
    explain = ma.fields.String()
    conditions = ma.fields.List(ma.fields.Nested(ConditionSchema))


class GuideSummarySchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    department_code = ma.fields.String()
    department_name = ma.fields.String()
    applicant = ma.fields.String(metadata={"description": "person · entity · both"})
    level = Int(metadata={"description": "所需认证等级 1–3"})
    channel = ma.fields.String(metadata={"description": "online 全程网办 · one_visit 最多跑一次"})
    channel_name = ma.fields.String()
    promised_days = Int(metadata={"description": "承诺时限（工作日）"})
    statutory_days = Int(metadata={"description": "法定时限（工作日）"})
    fee = ma.fields.String()
    instant = ma.fields.Boolean(metadata={"description": "可秒批（符合规则即时办结）"})
    result_kind = ma.fields.String(attribute="result.kind")


class PartSpecSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    department_name = ma.fields.String()


class GuideSchema(GuideSummarySchema):
    conditions = ma.fields.List(ma.fields.String())
    legal_basis = ma.fields.List(ma.fields.String())
    fields = ma.fields.List(ma.fields.Nested(FieldSpecSchema))
    materials = ma.fields.List(ma.fields.Nested(MaterialSpecSchema))
    result = ma.fields.Nested(ResultSpecSchema)
    decision_rule = ma.fields.Nested(DecisionRuleSchema, allow_none=True)
    parts = ma.fields.Method("_parts")

    def _parts(self, guide) -> list[dict]:
        from app.applications.guides import guides

        return [{"code": c, "name": guides()[c].name, "department_name": guides()[c].department_name}
                for c in guide.parts]


class NewApplicationSchema(ma.Schema):
    service_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    entity_uscc = ma.fields.String(validate=ma.validate.Length(min=1, max=18), load_default=None,
                        metadata={"description": "以企业身份申请：法定代表人或持 apply_services 授权的经办人"})
    child_person_id = Int(load_default=None,
                          metadata={"description": "为子女办理时，子女的档案编号（缺省为最小的子女）"})
    life_event_id = Int(load_default=None, metadata={"description": "出生一件事：出生记录（由出生提醒带入）"})
    origin = ma.fields.String(validate=ma.validate.Length(max=80), load_default=None,
                   metadata={"description": "来源，如 push:id_card_expiring（从提醒进入）"})


class FormPatchSchema(ma.Schema):
    fields = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Length(min=1, max=40)),
                            values=ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000)),
                            required=True, validate=ma.validate.Length(max=50))


class AttachSchema(ma.Schema):
    certificate_id = Int(load_default=None, metadata={"description": "引用卡包中的电子证照"})
    licence_id = Int(load_default=None, metadata={"description": "引用企业的许可证"})


class UploadFormSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "PDF、JPEG 或 PNG（按内容识别），不超过 5 MB"})


class ReasonOptionalSchema(ma.Schema):
    reason = ma.fields.String(validate=ma.validate.Length(max=500), load_default=None)


class MessageOptionalSchema(ma.Schema):
    message = ma.fields.String(validate=ma.validate.Length(max=500), load_default=None)


class MyApplicationsQuerySchema(ma.Schema):
    state = ma.fields.String(validate=ma.validate.OneOf(STATES))
    entity_uscc = ma.fields.String(validate=ma.validate.Length(min=1, max=18),
                        metadata={"description": "企业的办件（法定代表人或持 apply_services 授权的经办人）"})


class FieldSchema(ma.Schema):
    key = ma.fields.String()
    label = ma.fields.String()
    kind = ma.fields.String()
    required = ma.fields.Boolean()
    choices = ma.fields.List(ma.fields.String())
    value = ma.fields.String(allow_none=True)
    source = ma.fields.String(allow_none=True)
    source_label = ma.fields.String(allow_none=True,
                                    metadata={"description": "如 来自：公安机关 · 居民身份证；本人填写"})
    authoritative = ma.fields.Boolean()
    editable = ma.fields.Boolean()
    prefilled = ma.fields.Boolean()


class MaterialSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    by = ma.fields.String()
    type = ma.fields.String(allow_none=True)
    required = ma.fields.Boolean()
    satisfied = ma.fields.Boolean()
    certificate_id = Int(allow_none=True)
    licence_id = Int(allow_none=True)
    upload_id = Int(allow_none=True)
    file_name = ma.fields.String(allow_none=True)
    note = ma.fields.String(allow_none=True)


class DeadlineSchema(ma.Schema):
    promised_days = Int()
    statutory_days = Int()
    due_at = ma.fields.DateTime(allow_none=True, metadata={"description": "承诺办结时间（受理后计算，补正期间暂停）"})
    paused = ma.fields.Boolean()
    remaining_days = Int(allow_none=True, metadata={"description": "暂停时剩余的工作日"})
    overdue = ma.fields.Boolean()


class PartSchema(ma.Schema):
    id = Int()
    number = ma.fields.String(allow_none=True)
    service_code = ma.fields.String()
    service_name = ma.fields.String()
    department_name = ma.fields.String()
    state = ma.fields.String()
    state_name = ma.fields.String()
    decision = ma.fields.String(allow_none=True)
    due_at = ma.fields.DateTime(allow_none=True)


class ApplicationRatingSchema(ma.Schema):
    score = Int(metadata={"description": "1–5（5 非常满意）"})
    comment = ma.fields.String(allow_none=True)


class ApplicationSchema(ma.Schema):
    id = Int()
    number = ma.fields.String(allow_none=True, metadata={"description": "办件编号，如 YSS-2026-000123"})
    service_code = ma.fields.String()
    service_name = ma.fields.String()
    department_code = ma.fields.String()
    department_name = ma.fields.String()
    channel = ma.fields.String()
    state = ma.fields.String(metadata={"description": " · ".join(STATES)})
    state_name = ma.fields.String()
    entity_uscc = ma.fields.String(allow_none=True)
    bundle_id = Int(allow_none=True)
    fields = ma.fields.List(ma.fields.Nested(FieldSchema))
    materials = ma.fields.List(ma.fields.Nested(MaterialSchema))
    prefilled_count = Int(metadata={"description": "预填字段数"})
    typed_count = Int(metadata={"description": "申请人填写字段数"})
    supplement = ma.fields.Dict(allow_none=True, metadata={"description": "补正要求：fields, materials, message"})
    decision = ma.fields.String(allow_none=True, metadata={"description": "approved · rejected · not_accepted"})
    decision_reason = ma.fields.String(allow_none=True)
    rule_outcome = ma.fields.Dict(allow_none=True, metadata={
        "description": "秒批：rule {id, version}, facts, conditions, holds, explain"})
    result = ma.fields.Dict(allow_none=True,
                            metadata={"description": "办理结果：证照（certificate_id / licence_id）或决定"})
    deadline = ma.fields.Nested(DeadlineSchema)
    parts = ma.fields.List(ma.fields.Nested(PartSchema), metadata={"description": "一件事：各部门的子办件"})
    rating_id = Int(allow_none=True)
    rating = ma.fields.Nested(ApplicationRatingSchema, allow_none=True,
                              metadata={"description": "我的评价（未评价为 null）"})
    origin = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    submitted_at = ma.fields.DateTime(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)


class ApplicationSummarySchema(ma.Schema):
    id = Int()
    number = ma.fields.String(allow_none=True)
    service_code = ma.fields.String()
    service_name = ma.fields.String()
    department_name = ma.fields.String()
    state = ma.fields.String()
    state_name = ma.fields.String()
    entity_uscc = ma.fields.String(allow_none=True)
    bundle_id = Int(allow_none=True)
    due_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean()
    paused = ma.fields.Boolean()
    submitted_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()


class EventSchema(ma.Schema):
    id = Int()
    application_id = Int()
    at = ma.fields.DateTime()
    actor_type = ma.fields.String(metadata={"description": "applicant · staff · rule · system"})
    actor = ma.fields.String(metadata={"description": "who, as residents see it: staff by department and number"})
    kind = ma.fields.String()
    from_state = ma.fields.String(allow_none=True)
    to_state = ma.fields.String(allow_none=True)
    details = ma.fields.Dict()


class UploadSchema(ma.Schema):
    id = Int()
    application_id = Int()
    material_code = ma.fields.String()
    file_name = ma.fields.String()
    content_type = ma.fields.String()
    size = Int()
    sha256 = ma.fields.String()
    created_at = ma.fields.DateTime()


class ApplicantSchema(ma.Schema):
    account_id = Int()
    name = ma.fields.String(allow_none=True)
    id_number = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)


class ApplicationCaseSchema(ma.Schema):
    application = ma.fields.Nested(ApplicationSchema)
    applicant = ma.fields.Nested(ApplicantSchema)
    events = ma.fields.List(ma.fields.Nested(EventSchema))
    allowed_actions = ma.fields.List(ma.fields.String(), metadata={
        "description": "the steps the case's state allows now (accept · refuse · review · request_supplement · "
                       "approve · reject), from the lifecycle's transition table"})


class StaffQueueQuerySchema(ma.Schema):
    state = ma.fields.String(validate=ma.validate.OneOf(STATES))
    service_code = ma.fields.String(validate=ma.validate.Length(max=64))
    overdue = ma.fields.Boolean()


class OpinionSchema(ma.Schema):
    opinion = ma.fields.String(validate=ma.validate.Length(max=1000), load_default=None)


class RequiredOpinionSchema(ma.Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class RefusalReasonSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class SupplementSchema(ma.Schema):
    message = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))
    fields = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=40)), load_default=list,
                            validate=ma.validate.Length(max=50))
    materials = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=40)), load_default=list,
                               validate=ma.validate.Length(max=50))


# ---- examples (the README shows the same)

GUIDE_SUMMARY_EXAMPLE = {
    "code": "gd-gat-sfz-hl", "name": "居民身份证换领", "department_code": "gd-gat", "department_name": "广东省公安厅",
    "applicant": "person", "level": 3, "channel": "one_visit", "channel_name": "最多跑一次", "promised_days": 15,
    "statutory_days": 60, "fee": "工本费20元（有效期满换领）", "instant": False, "result_kind": "certificate"}
GUIDE_EXAMPLE = {
    **GUIDE_SUMMARY_EXAMPLE,
    "conditions": ["本省户籍居民", "居民身份证有效期满前90天内或已过期"],
    "legal_basis": ["《中华人民共和国居民身份证法》第五条、第十一条"],
    "fields": [{"key": "name", "label": "姓名", "kind": "text", "required": True, "choices": [], "max_length": 200,
                "source": "person.name", "authoritative": True},
               {"key": "phone", "label": "联系电话", "kind": "text", "required": True, "choices": [],
                "max_length": 200, "source": "account.phone", "authoritative": False}],
    "materials": [{"code": "old_card", "name": "原居民身份证", "by": "certificate", "type": "resident_id_card",
                   "source": None, "required": True}],
    "result": {"kind": "certificate", "type": "resident_id_card", "valid_years": 20},
    "decision_rule": None, "parts": []}
APPLICATION_EXAMPLE = {
    "id": 123, "number": "YSS-2026-000123", "service_code": "gd-gat-sfz-hl", "service_name": "居民身份证换领",
    "department_code": "gd-gat", "department_name": "广东省公安厅", "channel": "one_visit", "state": "draft",
    "state_name": "草稿", "entity_uscc": None, "bundle_id": None,
    "fields": [{"key": "name", "label": "姓名", "kind": "text", "required": True, "choices": [], "value": "张三",
                "source": "person.name", "source_label": "来自：公安机关 · 人口信息", "authoritative": True,
                "editable": False, "prefilled": True},
               {"key": "card_expires_on", "label": "原证有效期至", "kind": "date", "required": True, "choices": [],
                "value": "2027-02-01", "source": "certificate.resident_id_card.expires_on",
                "source_label": "来自：广州市公安局天河分局 · 居民身份证", "authoritative": True, "editable": False,
                "prefilled": True},
               {"key": "reason", "label": "换领原因", "kind": "choice", "required": True,
                "choices": ["有效期满", "证件损坏", "登记项目变更"], "value": None, "source": None,
                "source_label": None,
                "authoritative": False, "editable": True, "prefilled": False}],
    "materials": [{"code": "old_card", "name": "原居民身份证", "by": "certificate", "type": "resident_id_card",
                   "required": True, "satisfied": True, "certificate_id": 7, "licence_id": None, "upload_id": None,
                   "file_name": None, "note": None}],
    "prefilled_count": 7, "typed_count": 0, "supplement": None, "decision": None, "decision_reason": None,
    "rule_outcome": None, "result": None,
    "deadline": {"promised_days": 15, "statutory_days": 60, "due_at": None, "paused": False, "remaining_days": None,
                 "overdue": False},
    "parts": [], "rating_id": None, "rating": None, "origin": "push:id_card_expiring",
    "created_at": "2026-12-03T02:00:00Z",
    "updated_at": "2026-12-03T02:00:00Z", "submitted_at": None, "decided_at": None, "completed_at": None}
SUMMARY_EXAMPLE = {
    "id": 123, "number": "YSS-2026-000123", "service_code": "gd-gat-sfz-hl", "service_name": "居民身份证换领",
    "department_name": "广东省公安厅", "state": "accepted", "state_name": "已受理", "entity_uscc": None,
    "bundle_id": None, "due_at": "2026-12-24T15:59:59Z", "overdue": False, "paused": False,
    "submitted_at": "2026-12-03T02:05:00Z", "updated_at": "2026-12-03T03:00:00Z"}
EVENT_EXAMPLE = {"id": 9, "application_id": 123, "at": "2026-12-03T03:00:00Z", "actor_type": "staff",
                 "actor": "广东省公安厅 工作人员 002号", "kind": "accepted", "from_state": "submitted",
                 "to_state": "accepted",
                 "details": {"opinion": "材料齐全，予以受理", "due_at": "2026-12-24T15:59:59Z"}}
RULE_OUTCOME_EXAMPLE = {
    "rule": {"id": "jsz_hz_in_window", "version": 1},
    "facts": {"certificate.driving_licence.status": "expiring", "certificate.resident_id_card.status": "valid",
              "person.age": 36},
    "conditions": [{"fact": "certificate.driving_licence.status", "op": "eq", "expected": "expiring",
                    "actual": "expiring", "holds": True, "text": "certificate.driving_licence.status 等于 expiring"}],
    "holds": True,
    "explain": "您的驾驶证在有效期满前90日内，身份证有效，且为期满换证，系统按规则自动批准，新证已发放至卡包。",
    "checked_at": "2026-12-03T02:05:00+00:00"}
UPLOAD_EXAMPLE = {"id": 5, "application_id": 130, "material_code": "tenancy", "file_name": "租赁合同.pdf",
                  "content_type": "application/pdf", "size": 183204, "sha256": "9f2c…", "created_at":
                  "2026-12-03T02:03:00Z"}
CASE_EXAMPLE = {"application": {**APPLICATION_EXAMPLE, "state": "submitted", "state_name": "已提交"},
                "applicant": {"account_id": 42, "name": "张三", "id_number": "440106199005170014",
                              "phone": "13800138000"},
                "events": [EVENT_EXAMPLE], "allowed_actions": ["accept", "refuse", "request_supplement"]}
