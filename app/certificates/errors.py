"""Certificate and credential errors: stable codes with the app's Chinese text."""

from app.errors import Conflict, NotFound, RateLimited, ValidationFailed


class CertificateTypeUnknown(ValidationFailed):
    code, message = "certificate_type_unknown", "未知的证照类型"


class CertificateExpiryRequired(ValidationFailed):
    code, message = "certificate_expiry_required", "此类证照须有有效期"


class CertificateDatesInvalid(ValidationFailed):
    code, message = "certificate_dates_invalid", "有效期早于签发日期"


class CertificateUnknown(NotFound):
    code, message = "certificate_unknown", "证照不存在"


class CertificateNotShowable(Conflict):
    code, message = "certificate_not_showable", "证照已注销或已过期，不能领取或出示"


class DeviceKeyInvalid(ValidationFailed):
    code, message = "device_key_invalid", "设备密钥无效：须为 P-256 椭圆曲线公钥（ES256）"


class PresentationMalformed(ValidationFailed):
    code, message = "presentation_malformed", "无法识别的亮证码"


class PresentationSignatureInvalid(ValidationFailed):
    code, message = "presentation_signature_invalid", "亮证码签名无效，内容可能被篡改或不是本平台签发"


class KeyBindingInvalid(ValidationFailed):
    code, message = "key_binding_invalid", "亮证码不是由领证的手机生成的"


class PresentationChallengeMismatch(ValidationFailed):
    code, message = "presentation_challenge_mismatch", "亮证码不是为本核验方生成的，请持证人重新出示"


class PresentationStale(ValidationFailed):
    code, message = "presentation_stale", "亮证码已过期，请持证人重新生成"


class PresentationReplayed(Conflict):
    code, message = "presentation_replayed", "该亮证码已被核验过，不能重复使用"


class CredentialExpired(ValidationFailed):
    code, message = "credential_expired", "电子证照凭证已过期，请持证人在小程序中更新"


class CertificateRevoked(ValidationFailed):
    code, message = "certificate_revoked", "该证照已被发证机关注销"


class CertificateExpired(ValidationFailed):
    code, message = "certificate_expired", "该证照已过期"


class VerifyRateLimited(RateLimited):
    code, message = "verify_rate_limited", "核验过于频繁，请稍后再试"


class StatusListFull(Conflict):
    code, message = "status_list_full", "电子证照凭证暂时无法签发，请稍后再试"


class CredentialSuperseded(ValidationFailed):
    code, message = "credential_superseded", "该凭证已失效：持证人已在新设备上重新领取"
