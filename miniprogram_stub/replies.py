"""Response shapes: WeChat's errcode bodies (always HTTP 200) and our registries' JSON errors."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from miniprogram_stub.state import new_rid


def wechat_error_body(errcode: int, message: str) -> dict[str, Any]:
    """A WeChat business error's body: the errmsg carries a trace suffix like the real one."""
    return {"errcode": errcode, "errmsg": f"{message} rid: {new_rid()}"}


def wechat_error(errcode: int, message: str) -> Response:
    """A WeChat business error: HTTP 200 and ``wechat_error_body``."""
    return jsonify(wechat_error_body(errcode, message))


def wechat_ok(**fields: Any) -> Response:
    return jsonify({"errcode": 0, "errmsg": "ok", **fields})


def json_error(status: int, code: str, message: str) -> tuple[Response, int]:
    """Error body of the registries and of the developer API: {"code", "message"}."""
    return jsonify({"code": code, "message": message}), status


def json_body() -> dict[str, Any] | None:
    """The request's JSON object, or None when the body is not a JSON object."""
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else None
