"""Errors of WeChat's message push to our server (the signature errors are wechat_crypto's)."""

from __future__ import annotations

from app.integrations.wechat_crypto import MessageSignatureError


class MessageInvalid(MessageSignatureError):
    code, message = "wechat_message_invalid", "消息格式无效"


class MessageStale(MessageSignatureError):
    code, message = "wechat_message_stale", "消息时间戳超出允许范围"


class MessageReplayed(MessageSignatureError):
    code, message = "wechat_message_replayed", "消息已处理过（timestamp 与 nonce 重复）"


class PlainModeRefused(MessageSignatureError):
    code, message = "wechat_plain_mode_refused", "仅接受安全模式（加密）消息"
