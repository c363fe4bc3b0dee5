"""Application errors: stable codes with the app's Chinese text."""

from __future__ import annotations

from app.errors import Conflict, NotFound, ValidationFailed

STATE_NAMES = {"draft": "草稿", "submitted": "已提交", "accepted": "已受理", "in_review": "审查中",
               "supplement_requested": "待补正", "not_accepted": "不予受理", "approved": "已批准",
               "rejected": "不予批准", "completed": "已办结", "withdrawn": "已撤回", "in_progress": "办理中"}


class GuideNotFound(NotFound):
    code, message = "guide_not_found", "办事指南不存在"


class ApplicationNotFound(NotFound):
    code, message = "application_not_found", "办件不存在，或不属于您（或您的部门）"


class UploadNotFound(NotFound):
    code, message = "upload_not_found", "材料文件不存在"


class ApplicantNotEligible(ValidationFailed):
    code, message = "applicant_not_eligible", "该事项不能以此身份申请（个人事项请以本人申请，企业事项请选择企业）"


class ApplicationIllegalTransition(Conflict):
    code, message = "application_illegal_transition", "办件当前状态不允许此操作"

    def __init__(self, action: str = "", from_state: str = "draft", to_state: str | None = None) -> None:
        super().__init__(f"办件当前为“{STATE_NAMES.get(from_state, from_state)}”，不能执行此操作",
                         details={"action": action, "from": from_state, "to": to_state})


class FieldLocked(ValidationFailed):
    code, message = "field_locked", "该项由发证或登记部门提供，不能修改"


class FormInvalid(ValidationFailed):
    code, message = "form_invalid", "表单填写不完整或有误"


class MaterialUnknown(ValidationFailed):
    code, message = "material_unknown", "该事项没有此项材料"


class MaterialNotAttachable(ValidationFailed):
    code = "material_not_attachable"
    message = "该材料不能以此方式提交（证照材料请引用电子证照，仅标明上传的材料可上传）"


class CertificateNotUsable(ValidationFailed):
    code, message = "certificate_not_usable", "所引用的电子证照不存在、不属于您，或已过期、注销"


class MaterialsMissing(ValidationFailed):
    code, message = "materials_missing", "还有必需的材料未提交"


class UploadRejected(ValidationFailed):
    code, message = "upload_rejected", "文件须为 PDF、JPEG 或 PNG，且不超过 5 MB"


class UploadNameInvalid(ValidationFailed):
    code, message = "upload_name_invalid", "文件名无效"


class AlreadyRated(Conflict):
    code, message = "application_already_rated", "该办件已评价过，每件只能评价一次"


class NotDecided(Conflict):
    code, message = "application_not_decided", "办件办结后才能评价"
