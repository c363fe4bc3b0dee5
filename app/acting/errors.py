"""Acting errors: one refusal for every reason a person may not be acted for, so nothing leaks."""

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed


class ActingRefused(Forbidden):
    # The same answer whether the person does not exist, is a stranger, the grant expired or was
    # revoked, the scope was not granted or the ward turned 18.
    code, message = "acting_refused", "您无权为该人员办理此事项"


class ActingNotSupported(ValidationFailed):
    code, message = "acting_not_supported", "此操作不支持代办，请切换回本人后再试"


class ActingNeedsAccount(Conflict):
    code, message = "acting_needs_account", "对方尚未在本平台注册，暂不能代其办理此事项"


class ProxyScopeInvalid(ValidationFailed):
    code, message = "proxy_scope_invalid", "代办授权范围无效"


class ProxyExpiryInvalid(ValidationFailed):
    code, message = "proxy_expiry_invalid", "代办授权有效期须在现在之后、三年以内"


class GranteeNotEligible(ValidationFailed):
    code, message = "grantee_not_eligible", "代办人须是已在本平台完成实名认证的他人，且姓名与身份证号一致"


class ProxyAlreadyGranted(Conflict):
    code, message = "proxy_already_granted", "已授权该代办人，请先撤销原授权"


class ProxyGrantNotFound(NotFound):
    code, message = "proxy_grant_not_found", "未找到该代办授权"
