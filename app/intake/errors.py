"""Intake's errors: registration mistakes, and the per-record rejections of the shared checks."""

from app.errors import AppError, Conflict, Forbidden, ValidationFailed


class AuthorityIdInvalid(ValidationFailed):
    code, message = "authority_id_invalid", "机构标识只能包含小写字母、数字、- 和 _"


class UnknownRecordType(ValidationFailed):
    code, message = "unknown_type", "未知的记录类型"


class DocumentTypesRequired(ValidationFailed):
    code, message = "document_types_required", "证照与许可证须按类型登记，如 certificate:resident_id_card"


class AuthorityExists(Conflict):
    code, message = "authority_exists", "机构已存在"


class RecordOwnedByOtherAuthority(Forbidden):
    """A record belongs to the authority that first issued it: no other may change, reissue or revoke it."""

    code, message = "record_owned_by_other_authority", "该记录由其他机关签发，本机关不能变更"


class DocumentTypeNotAllowed(Forbidden):
    code, message = "document_type_not_allowed", "本机关未登记签发此类证照或许可证"


class BatchTooLarge(AppError):
    status, code, message = 413, "batch_too_large", "每批记录数超过上限（1000 条）"
