"""Identity's errors: stable codes with the app's Chinese text."""

from app.errors import AppError, Conflict, Forbidden, RateLimited, Unauthenticated, ValidationFailed


class TokenInvalid(Unauthenticated):
    code, message = "unauthenticated", "登录已失效，请重新登录"


class RefreshTokenInvalid(Unauthenticated):
    code, message = "refresh_token_invalid", "登录凭证无效，请重新登录"


class RefreshTokenExpired(Unauthenticated):
    code, message = "refresh_token_expired", "登录已过期，请重新登录"


class RefreshTokenReused(Unauthenticated):
    code, message = "refresh_token_reused", "登录凭证已被使用，为保护账号安全已退出登录"


class SessionRevoked(Unauthenticated):
    code, message = "session_revoked", "已退出登录，请重新登录"


class LevelRequired(Forbidden):
    code, message = "level_required", "请先完成更高等级的实名认证"


class AccountDisabled(Forbidden):
    code, message = "account_disabled", "账号已停用"


class PhoneTaken(Conflict):
    code, message = "phone_bound_to_other_account", "该手机号已绑定其他账号"


class IdNumberTaken(Conflict):
    code, message = "id_number_bound_to_other_account", "该身份证号已被其他账号实名认证"


class AlreadyVerified(Conflict):
    code, message = "already_verified", "已完成实名认证"


class VerificationFailed(AppError):
    status, code, message = 422, "verification_failed", "认证未通过"


class LoginAttemptsExceeded(RateLimited):
    code, message = "wechat_login_rate_limited", "登录尝试过于频繁，请稍后再试"


class NameInvalid(ValidationFailed):
    code, message = "name_invalid", "姓名格式不正确"


class RealNameMismatch(ValidationFailed):
    # The app is not told that a person is deceased: it only learns the pair did not match.
    code, message = "real_name_mismatch", "姓名与身份证号不匹配"


class RealNameAttemptsExceeded(RateLimited):
    code, message = "real_name_attempts_exceeded", "今日实名认证失败次数过多，请明天再试"
