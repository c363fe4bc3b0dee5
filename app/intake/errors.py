"""Intake errors: stable codes with the Chinese text an authority's operator reads."""

from app.errors import AppError, Conflict, Unauthenticated, ValidationFailed


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


class AuthorityExists(Conflict):
    code, message = "authority_exists", "机构已存在"


class BatchTooLarge(AppError):
    status, code, message = 413, "batch_too_large", "每批记录过多"
