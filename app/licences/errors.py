"""Licence errors: stable codes with the app's Chinese text."""

from app.errors import NotFound, ValidationFailed


class ValidityInvalid(ValidationFailed):
    code, message = "validity_invalid", "有效期截止日早于发证日期"


class LicenceStatusTransitionInvalid(ValidationFailed):
    code, message = "licence_status_transition_invalid", "许可证当前状态不允许此操作"


class LicenceNotFound(NotFound):
    code, message = "licence_not_found", "未查到该许可证，请核对编号"
