"""Errors of the outside systems' clients: stable codes with the app's Chinese text."""

from __future__ import annotations

from app.errors import AppError, UpstreamUnavailable


class UpstreamInterrupted(UpstreamUnavailable):
    """A call that may have taken effect: the answer timed out, or the connection dropped after the
    request was written, or the answer could not be read. To a user it is the same "try again later";
    a sender must not repeat it blindly (a WeChat message would arrive twice): see app/push/delivery.py."""


class WeChatError(AppError):
    """A business error from WeChat; ``errcode`` is the only thing to match on."""

    status, code, message = 502, "wechat_error", "微信服务返回错误，请稍后再试"

    def __init__(self, errcode: int, *, retry_after: int | None = None) -> None:
        super().__init__(details={"errcode": errcode}, retry_after=retry_after)
        self.errcode = errcode


class WeChatBusy(UpstreamUnavailable, WeChatError):
    """errcode -1: WeChat's own "system busy", answered as our ``upstream_unavailable``."""

    message = "微信服务繁忙，请稍后再试"


class WeChatRateLimited(WeChatError):
    status, code, message = 429, "wechat_rate_limited", "微信接口调用过于频繁，请稍后再试"


class OpenDataError(AppError):
    status, code, message = 400, "phone_decrypt_failed", "手机号数据无法解密，请重新获取"


class PhoneWatermarkMismatch(OpenDataError):
    code, message = "phone_watermark_mismatch", "数据不属于本小程序"


class MessageSignatureError(AppError):
    status, code, message = 403, "wechat_signature_invalid", "消息签名校验失败"


class MessageUndecryptable(MessageSignatureError):
    code, message = "wechat_message_undecryptable", "消息无法解密"


class MessageWrongAppid(MessageSignatureError):
    code, message = "wechat_message_wrong_appid", "消息不属于本小程序"


# What any use case calling WeChat's server API can meet (documented on the views that call it).
WECHAT_CALL_ERRORS: tuple[type[AppError], ...] = (WeChatError, WeChatBusy, WeChatRateLimited, UpstreamUnavailable)
