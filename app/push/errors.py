"""Push errors: stable codes with the app's Chinese text."""

from app.errors import ValidationFailed


class UnknownCategory(ValidationFailed):
    code, message = "unknown_category", "未知的通知类别"


class UnknownTemplate(ValidationFailed):
    code, message = "unknown_template", "未知的订阅消息模板"
