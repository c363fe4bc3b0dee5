"""Push errors: stable codes with the app's Chinese text (WeChat's pushes to us among them)."""

from __future__ import annotations

from app.errors import ValidationFailed
from app.integrations.errors import MessageSignatureError


class UnknownCategory(ValidationFailed):
    code, message = "unknown_category", "未知的通知类别"


class UnknownTemplate(ValidationFailed):
    code, message = "unknown_template", "未知的订阅消息模板"


class MessageInvalid(MessageSignatureError):
    code, message = "wechat_message_invalid", "消息格式无效"


class MessageStale(MessageSignatureError):
    code, message = "wechat_message_stale", "消息时间戳超出允许范围"


class MessageReplayed(MessageSignatureError):
    code, message = "wechat_message_replayed", "消息已处理过（timestamp 与 nonce 重复）"


class PlainModeRefused(MessageSignatureError):
    code, message = "wechat_plain_mode_refused", "仅接受安全模式（加密）消息"
