"""The one error type of yss.

Every failure a user can cause or meet is an ``AppError`` with a stable snake_case ``code``, a
Chinese ``message`` for the app, optional ``details`` and the HTTP status the API layer answers
with. Areas subclass it only to preset those values; the API maps all of them in one handler.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    message: str = "请求无效"
    retry_after: int | None = None  # seconds, sent as Retry-After

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details or {}
        self.retry_after = retry_after if retry_after is not None else type(self).retry_after
        super().__init__(f"{self.code}: {self.message}")


class ValidationFailed(AppError):
    status, code, message = 422, "validation_error", "提交的数据有误"


class NotFound(AppError):
    status, code, message = 404, "not_found", "对象不存在或无权访问"


class Unauthenticated(AppError):
    status, code, message = 401, "unauthenticated", "请先登录"


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "无权执行此操作"


class Conflict(AppError):
    status, code, message = 409, "conflict", "操作与当前状态冲突"


class RateLimited(AppError):
    status, code, message = 429, "rate_limited", "操作过于频繁，请稍后再试"


class UpstreamUnavailable(AppError):
    status, code, message = 503, "upstream_unavailable", "外部服务暂不可用，请稍后再试"


class StoreUnavailable(AppError):
    """The database or Redis cannot be reached (or SQLite is locked) right now: nothing was changed
    that the caller could see, and the same request may simply be sent again shortly."""

    status, code, message, retry_after = 503, "store_unavailable", "服务暂时繁忙，请稍后再试", 5
