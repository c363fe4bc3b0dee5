"""Identity's errors: stable codes with the app's Chinese text."""

from app.errors import AppError, Conflict, Forbidden, NotFound, RateLimited, Unauthenticated, ValidationFailed


class LoginRequired(Unauthenticated):
    message = "请先登录"


class TokenInvalid(Unauthenticated):
    message = "登录已失效，请重新登录"


class RefreshTokenInvalid(Unauthenticated):
    code, message = "refresh_token_invalid", "登录凭证无效，请重新登录"


class RefreshTokenExpired(Unauthenticated):
    code, message = "refresh_token_expired", "登录已过期，请重新登录"


class RefreshTokenReused(Unauthenticated):
    code, message = "refresh_token_reused", "登录凭证已被使用，为保护账号安全已退出登录"


class LevelRequired(Forbidden):
    code, message = "level_required", "请先完成更高等级的实名认证"


class AccountDisabled(Forbidden):
    code, message = "account_disabled", "账号已停用"


class LoginCodeInvalid(AppError):
    status, code, message = 400, "login_code_invalid", "登录码无效或已过期，请重新登录"


class LoginCodeUsed(AppError):
    status, code, message = 400, "login_code_used", "登录码已使用，请重新登录"


class WeChatUserBlocked(AppError):
    status, code, message = 403, "wechat_user_blocked", "该微信账号存在风险，暂无法登录"


class PhoneCodeInvalid(AppError):
    status, code, message = 400, "phone_code_invalid", "手机号授权码无效或已使用，请重新授权"


class WeChatSessionExpired(AppError):
    status, code, message = 400, "wechat_session_expired", "微信登录状态已过期，请重新登录后再试"


class PhoneInvalid(AppError):
    status, code, message = 422, "phone_invalid", "手机号格式无效"


class PhoneTaken(Conflict):
    code, message = "phone_bound_to_other_account", "该手机号已绑定其他账号"


class IdNumberFormat(ValidationFailed):
    code, message = "id_number_format", "身份证号码应为18位：前17位为数字，最后一位为数字或X"


class IdNumberBirthDate(ValidationFailed):
    code, message = "id_number_birth_date", "身份证号码中的出生日期无效"


class IdNumberCheckDigit(ValidationFailed):
    code, message = "id_number_check_digit", "身份证号码校验位不正确，请检查是否输入有误"


class NameInvalid(ValidationFailed):
    code, message = "name_invalid", "姓名格式不正确"


class IdNumberTaken(Conflict):
    code, message = "id_number_bound_to_other_account", "该身份证号已被其他账号实名认证"


class AlreadyVerified(Conflict):
    code, message = "already_verified", "已完成实名认证"


class LoginAttemptsExceeded(RateLimited):
    code, message = "wechat_login_rate_limited", "登录尝试过于频繁，请稍后再试"


class RealNameAttemptsExceeded(RateLimited):
    code, message = "real_name_attempts_exceeded", "今日实名认证失败次数过多，请明天再试"


class RealNameMismatch(AppError):
    # The app is not told that a person is deceased: it only learns the pair did not match.
    status, code, message = 422, "real_name_mismatch", "姓名与身份证号不匹配"


class FaceVerifyUnknown(NotFound):
    code, message = "face_verify_unknown", "人脸核验会话不存在或已过期，请重新发起"


class FaceVerifyFailed(AppError):
    """A face verification that did not pass; WeChat's ``verify_ret`` says why (one class each)."""

    status, code, message = 422, "face_verify_failed", "人脸核验未通过"


class FaceVerifyInvalid(FaceVerifyFailed):
    code, message = "face_verify_invalid", "人脸核验参数有误，请重新发起"


class FaceIdentityMismatch(FaceVerifyFailed):
    code, message = "face_identity_mismatch", "身份信息与人脸核验对象不一致"


class FaceMismatch(FaceVerifyFailed):
    code, message = "face_mismatch", "人脸比对未通过，请本人重试"


class FaceNetworkError(FaceVerifyFailed):
    code, message = "face_network_error", "网络异常，请重试"


class FaceTimeout(FaceVerifyFailed):
    code, message = "face_timeout", "人脸核验未完成或已超时，请重试"


class FaceCancelled(FaceVerifyFailed):
    code, message = "face_cancelled", "已取消人脸核验"
