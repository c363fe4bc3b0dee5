"""Request ids, the 415 guard, the global rate limit and one JSON log line per request."""

from __future__ import annotations

import logging
import os
import re
import time

from flask import Flask, Request, Response, current_app, g, request
from werkzeug.exceptions import UnsupportedMediaType

from app import context, db, ratelimit

log = logging.getLogger("yss.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _start() -> None:
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy look-up, not ten
    incoming = req.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else os.urandom(16).hex()  # as uuid4().hex, without the UUID
    context.request_id.set(g.request_id)
    g.started = time.perf_counter()
    ratelimit.defer()
    if req.path.startswith("/api/v1/"):
        db.plain_reads()  # reads outside a use case run without a transaction (app/db.py)
        _require_json_body()
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        limit = app.config["RATE_LIMIT_PER_MINUTE"]
        if limit:
            per_address = ratelimit.Limit(f"ip:{req.remote_addr}", limit, 60)
            if _reads_redis_first(app, req):
                ratelimit.defer(per_address)  # counted in the view's own first round trip to Redis
            else:
                ratelimit.with_limits(per_address)


def _view_function(app: Flask, req: Request) -> object:
    view = app.view_functions.get(req.endpoint or "")
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, req.method.lower(), view) if view_class is not None else view


def _reads_redis_first(app: Flask, req: Request) -> bool:
    """Views marked ``reads_redis_first`` (the resident session check, the cached public licence
    check) make a Redis round trip before any other work, and the limit joins it."""
    return getattr(_view_function(app, req), "reads_redis_first", False)


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
    if not log.isEnabledFor(logging.INFO):
        return response
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


def _count_pending(_exc: BaseException | None) -> None:
    # A deferred limit still pending (the view answered before reaching Redis: bad arguments, no
    # token) is counted all the same; it refuses only the next request.
    ratelimit.flush(refuse=False)


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_count_pending)
