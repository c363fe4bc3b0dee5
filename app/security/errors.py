"""Security errors: stable codes with the app's Chinese text."""

from app.errors import Unauthenticated, ValidationFailed


class TokenExpired(Unauthenticated):
    code, message = "token_expired", "登录凭证已过期，请重新登录"


class TokenSignatureInvalid(Unauthenticated):
    code, message = "token_invalid", "登录凭证无效，请重新登录"


class PasswordTooWeak(ValidationFailed):
    code, message = "password_too_weak", "密码太弱"
