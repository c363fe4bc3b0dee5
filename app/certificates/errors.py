"""Certificate errors: stable codes with the app's Chinese text."""

from app.errors import AppError, Conflict, NotFound, RateLimited, ValidationFailed


class CertificateTypeUnknown(ValidationFailed):
    code, message = "certificate_type_unknown", "未知的证照类型"


class CertificateExpiryRequired(ValidationFailed):
    code, message = "certificate_expiry_required", "此类证照须有有效期"


class CertificateDatesInvalid(ValidationFailed):
    code, message = "certificate_dates_invalid", "有效期早于签发日期"


class CertificateUnknown(NotFound):
    code, message = "certificate_unknown", "证照不存在"


class CertificateNotShowable(Conflict):
    code, message = "certificate_not_showable", "证照已注销或已过期，不能出示"


class ShowClaimsUnknown(ValidationFailed):
    code, message = "show_claims_unknown", "所选信息项不存在"


class ShowClaimsEmpty(ValidationFailed):
    code, message = "show_claims_empty", "请至少选择一项要出示的信息"


class ShowTooLarge(ValidationFailed):
    code, message = "show_too_large", "选择的信息项过多，二维码放不下，请少选几项"


class ShowMalformed(AppError):
    status, code, message = 400, "show_malformed", "二维码内容无法识别"


class ShowSignatureInvalid(AppError):
    status, code, message = 422, "show_signature_invalid", "亮证码签名无效，内容可能被篡改"


class ShowExpired(AppError):
    status, code, message = 422, "show_expired", "亮证码已过期，请持证人重新出示"


class CertificateRevoked(AppError):
    status, code, message = 422, "certificate_revoked", "该证照已被发证机关注销"


class CertificateExpired(AppError):
    status, code, message = 422, "certificate_expired", "该证照已过期"


class VerifyRateLimited(RateLimited):
    code, message = "verify_rate_limited", "核验过于频繁，请稍后再试"
