"""One error body for every 4xx and 5xx:
``{"code", "message" (Chinese, for the app), "details", "request_id"}``."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, g, jsonify
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app import stores
from app.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    StoreUnavailable,
    Unauthenticated,
    ValidationFailed,
)

log = logging.getLogger("yss.api")

class MalformedJson(AppError):
    status, code, message = 400, "malformed_json", "请求体不是有效的 JSON"


class MethodNotAllowed(AppError):
    status, code, message = 405, "method_not_allowed", "不支持该请求方法"


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "请求体过大"


class UnsupportedMediaType(AppError):
    status, code, message = 415, "unsupported_media_type", "请以 application/json 提交"


class ConcurrentUpdate(Conflict):
    code, message = "concurrent_update", "操作冲突，请刷新后重试"


class InternalError(AppError):
    status, code, message = 500, "internal_error", "服务器内部错误，请稍后再试"


class ServiceUnavailable(AppError):
    status, code, message = 503, "service_unavailable", "服务暂不可用，请稍后再试"


class RouteNotFound(NotFound):
    message = "请求的资源不存在"


# The errors Flask and webargs raise themselves, by status: the class gives the code and message.
HTTP_ERRORS: dict[int, type[AppError]] = {
    400: AppError, 401: Unauthenticated, 403: Forbidden, 404: RouteNotFound, 405: MethodNotAllowed,
    409: Conflict, 413: PayloadTooLarge, 415: UnsupportedMediaType, 422: ValidationFailed,
    429: RateLimited, 500: InternalError, 503: ServiceUnavailable,
}

# What any operation can answer whatever it does (documented on each by api.blueprint).
EVERY_OPERATION: tuple[type[AppError], ...] = (ValidationFailed, RateLimited, InternalError, StoreUnavailable)
# ... and any operation that takes a body: it may be too large, not JSON, or not valid JSON.
WITH_BODY: tuple[type[AppError], ...] = (MalformedJson, UnsupportedMediaType, PayloadTooLarge,
                                         ConcurrentUpdate)


# marshmallow's and webargs' own field messages, in the app's language; the one place they are
# translated. A message not listed (and not already Chinese) becomes the generic one.
_ENGLISH: tuple[tuple[str, str], ...] = (
    (r"Missing data for required field\.", "必填"),
    (r"Field may not be null\.", "不能为空"),
    (r"Unknown field\.", "不允许的字段"),
    (r"Invalid input type\.", "类型不正确"),
    (r"Invalid value\.", "值无效"),
    (r"Not a valid string\.", "应为字符串"),
    (r"Not a valid integer\.", "应为整数"),
    (r"Not a valid number\.", "应为数字"),
    (r"Not a valid boolean\.", "应为 true 或 false"),
    (r"Not a valid (aware |naive )?datetime\.", "应为带时区的日期时间（ISO 8601）"),
    (r"Not a valid date\.", "应为日期（YYYY-MM-DD）"),
    (r"Not a valid time\.", "应为时间（HH:MM）"),
    (r"Not a valid list\.", "应为数组"),
    (r"Not a valid (mapping type|dict)\.", "应为对象"),
    (r"Not a valid (email address|URL|UUID)\.", "格式无效"),
    (r"Number too large\.", "数值过大"),
    (r"Special numeric values \(nan or infinity\) are not permitted\.", "数值无效"),
    (r"Shorter than minimum length (\d+)\.", r"长度不能少于\1"),
    (r"Longer than maximum length (\d+)\.", r"长度不能超过\1"),
    (r"Length must be between (\d+) and (\d+)\.", r"长度应在\1到\2之间"),
    (r"Length must be (\d+)\.", r"长度应为\1"),
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.", r"应在\1到\2之间"),
    (r"Must be greater than or equal to (\S+)\.", r"不能小于\1"),
    (r"Must be less than or equal to (\S+)\.", r"不能大于\1"),
    (r"Must be greater than (\S+)\.", r"应大于\1"),
    (r"Must be less than (\S+)\.", r"应小于\1"),
    (r"Must be one of: (.*)\.", r"应为以下之一：\1"),
    (r"String does not match expected pattern\.", "格式不正确"),
)
FIELD_MESSAGES = tuple((re.compile(f"^{pattern}$"), text) for pattern, text in _ENGLISH)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(messages: Any) -> Any:
    """Field messages (nested dicts and lists of strings) with every English one translated."""
    if isinstance(messages, dict):
        return {key: in_chinese(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [in_chinese(value) for value in messages]
    if not isinstance(messages, str) or _CHINESE.search(messages):
        return messages
    for pattern, text in FIELD_MESSAGES:
        if pattern.match(messages):
            return pattern.sub(text, messages)
    return "格式不正确"


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


def with_chinese_fields(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` with its ``fields`` (a schema's messages, passed on by a use case) in Chinese."""
    return {**details, "fields": in_chinese(details["fields"])} if "fields" in details else details


def handle_app_error(error: AppError) -> Response:
    return error_response(error.status, error.code, error.message, with_chinese_fields(error.details),
                          error.retry_after)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    known = HTTP_ERRORS.get(status)
    code, message = (known.code, known.message) if known else (f"http_{status}", error.name)
    details: dict[str, Any] = {}
    # webargs attaches the offending fields per location: {"json": {"field": ["..."]}}.
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if status == 400 and messages and "Invalid JSON body." in str(messages):
        code, message = MalformedJson.code, MalformedJson.message
    elif status == 422 and messages:
        details["fields"] = in_chinese(messages)
    response = error_response(status, code, message, details)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_integrity_error(error: IntegrityError) -> Response:
    # Two requests racing to write the same unique row (a double tap): the loser's transaction is
    # rolled back whole, so it changed nothing and may simply be retried.
    log.warning("concurrent write refused", extra={"request_id": g.get("request_id")})
    return error_response(409, ConcurrentUpdate.code, ConcurrentUpdate.message)


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
    return error_response(500, InternalError.code, InternalError.message)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    for store_error in stores.STORE_ERRORS:
        app.register_error_handler(store_error, handle_store_error)
    app.register_error_handler(Exception, handle_unexpected)
