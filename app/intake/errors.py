"""Intake's errors: the signature checks, registration mistakes, and the per-record rejections of the
shared checks; stable codes with the Chinese text an authority's operator reads."""

from app.errors import AppError, Conflict, Forbidden, Unauthenticated, ValidationFailed


class SignatureError(Unauthenticated):
    code, message = "intake_signature_invalid", "请求签名无效"


class SignatureMissing(SignatureError):
    code, message = "intake_signature_missing", "缺少签名头"


class TimestampStale(SignatureError):
    code, message = "intake_timestamp_stale", "请求时间戳超出允许范围"


class NonceInvalid(SignatureError):
    code, message = "intake_nonce_invalid", "nonce 格式无效"


class NonceReplayed(SignatureError):
    code, message = "intake_nonce_replayed", "请求已处理过（nonce 重复）"


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
