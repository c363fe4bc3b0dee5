"""The OpenID Provider's errors shown in the mini program (the protocol's own errors are OAuth's)."""

from app.errors import NotFound, ValidationFailed


class AuthorizationRequestNotFound(NotFound):
    code, message = "oidc_request_not_found", "授权请求不存在或已过期，请回到应用重新登录"


class ConsentNotFound(NotFound):
    code, message = "oidc_consent_not_found", "没有找到这项授权"


class RequiredClaimDeclined(ValidationFailed):
    code, message = "oidc_required_claim_declined", "该应用必须获得标注为“必需”的信息才能为您办理"


class ClaimNotRequested(ValidationFailed):
    code, message = "oidc_claim_not_requested", "只能同意该应用本次申请的信息"


class ClientRegistrationInvalid(ValidationFailed):
    code, message = "oidc_client_invalid", "应用登记信息有误"
