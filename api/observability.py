"""Request ids, the 415 guard, the global rate limit and one JSON log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import UnsupportedMediaType

from app import context, ratelimit

log = logging.getLogger("yss.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    context.request_id.set(g.request_id)
    g.started = time.perf_counter()
    if request.path.startswith("/api/v1/"):
        _require_json_body()
        limit = current_app.config["RATE_LIMIT_PER_MINUTE"]
        if limit:
            ratelimit.hit(f"ip:{request.remote_addr}", limit=limit, window_seconds=60)


def _require_json_body() -> None:
    if request.method not in _BODY_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    # A view (or its MethodView class) taking uploads says so with ``accepts_any_body = True``.
    if getattr(view, "accepts_any_body", False) or getattr(getattr(view, "view_class", None), "accepts_any_body",
                                                           False):
        return
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    if has_body and not request.is_json:
        raise UnsupportedMediaType()


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    rule = request.url_rule.rule if request.url_rule else "<unmatched>"
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": rule,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
            "request_id": g.get("request_id"),
        },
    )
    return response


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
