"""One error body for every 4xx and 5xx:
``{"code", "message" (Chinese, for the app), "details", "request_id"}``."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app import stores
from app.errors import AppError, StoreUnavailable

log = logging.getLogger("yss.api")

# Stable codes and app messages for the HTTP errors Flask and webargs raise themselves.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求无效"),
    401: ("unauthenticated", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "操作与当前状态冲突"),
    413: ("payload_too_large", "请求体过大"),
    415: ("unsupported_media_type", "请以 application/json 提交"),
    422: ("validation_error", "提交的数据有误"),
    429: ("rate_limited", "操作过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误，请稍后再试"),
    503: ("service_unavailable", "服务暂不可用，请稍后再试"),
}


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None,
    retry_after: int | None = None,
) -> Response:
    response = jsonify(
        code=code, message=message, details=details or {}, request_id=g.get("request_id")
    )
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def handle_app_error(error: AppError) -> Response:
    return error_response(error.status, error.code, error.message, error.details, error.retry_after)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    code, message = HTTP_ERRORS.get(status, (f"http_{status}", error.name))
    details: dict[str, Any] = {}
    # webargs attaches the offending fields per location: {"json": {"field": ["..."]}}.
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if status == 400 and messages and "Invalid JSON body." in str(messages):
        code, message = "malformed_json", "请求体不是有效的 JSON"
    elif status == 422 and messages:
        details["fields"] = messages
    response = error_response(status, code, message, details)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_integrity_error(error: IntegrityError) -> Response:
    # Two requests racing to write the same unique row (a double tap): the loser's transaction is
    # rolled back whole, so it changed nothing and may simply be retried.
    log.warning("concurrent write refused", extra={"request_id": g.get("request_id")})
    return error_response(409, "concurrent_update", "操作冲突，请刷新后重试")


def handle_store_error(error: Exception) -> Response:
    # A store out of reach is an outage, not a bug: 503 with Retry-After, and the client tries again.
    if not stores.unavailable(error):
        return handle_unexpected(error)
    # Only the error's type: a database error's text carries the statement and its parameters.
    cause = getattr(error, "orig", None) or error
    log.warning("store unavailable", extra={"request_id": g.get("request_id"), "error": type(cause).__name__})
    return handle_app_error(StoreUnavailable())


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    # The traceback goes to the log (with the request id), never to the client.
    log.exception("unhandled error", extra={"request_id": g.get("request_id")})
    code, message = HTTP_ERRORS[500]
    return error_response(500, code, message)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    for store_error in stores.STORE_ERRORS:
        app.register_error_handler(store_error, handle_store_error)
    app.register_error_handler(Exception, handle_unexpected)
