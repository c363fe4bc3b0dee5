"""Call counting and fault injection for every WeChat and registry path.

A before-request hook counts the call (`GET /__emulator__/stats`) and, when the developer API has
queued faults for the exact path, spends one: the next n calls fail that way, in queue order.

`disconnect` is the ambiguous failure: the call is carried out (a message is sent, a token issued)
and then the connection is closed before any answer, as when a network drops a response. The caller
sees the connection end without a status line and cannot know whether the call took effect.
"""

from __future__ import annotations

import socket
import time

from flask import Flask, Response, g, request

from miniprogram_stub.replies import json_error, wechat_error
from miniprogram_stub.state import SUBSCRIBE_SEND_PATH, Fault, get_state

DEV_PREFIX = "/__emulator__"
REGISTRY_PREFIX = "/registry/"
FAULT_KINDS = ("busy", "rate_limit", "slow", "http_500", "blocked", "disconnect")
# Where the servers the emulator runs under put the client's socket in the WSGI environ.
SOCKET_KEYS = ("werkzeug.socket", "gunicorn.socket")


def _take_fault(path: str) -> Fault | None:
    state = get_state()
    with state.lock:
        state.calls[path] += 1
        if path != SUBSCRIBE_SEND_PATH:  # send counts successes only, toward its daily quota
            state.daily_usage[(state.today(), path)] += 1
        queue = state.faults.get(path)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault


def _wechat_failure(kind: str, path: str) -> Response:
    if kind == "busy":
        return wechat_error(-1, "system error")
    if kind == "rate_limit":
        # The send API reports its cap as the daily quota; the others as a frequency limit.
        if path == SUBSCRIBE_SEND_PATH:
            return wechat_error(45009, "reach max api daily quota limit")
        return wechat_error(45011, "api minute-quota reach limit  mustslower  retry next minute")
    return wechat_error(40226, "invalid high risk user")  # blocked


def _registry_failure(kind: str) -> tuple[Response, int]:
    if kind == "busy":
        return json_error(503, "busy", "registry busy, retry later")
    if kind == "rate_limit":
        return json_error(429, "rate_limited", "too many requests")
    return json_error(403, "forbidden", "caller blocked")


def before_request() -> Response | tuple[Response, int] | tuple[str, int, dict[str, str]] | None:
    path = request.path
    if request.url_rule is None or path.startswith(DEV_PREFIX):
        return None
    fault = _take_fault(path)
    if fault is None:
        return None
    if fault.kind == "slow":
        time.sleep(fault.delay_seconds)  # outside the lock: other calls go on meanwhile
        return None
    if fault.kind == "disconnect":
        g.disconnect = True  # carried out first; ``after_request`` drops the answer
        return None
    if fault.kind == "http_500":
        return "Internal Server Error", 500, {"Content-Type": "text/plain; charset=utf-8"}
    if path.startswith(REGISTRY_PREFIX):
        return _registry_failure(fault.kind)
    return _wechat_failure(fault.kind, path)


def after_request(response: Response) -> Response:
    """Close the connection of a call with a ``disconnect`` fault, before the server writes the answer."""
    if g.pop("disconnect", False):
        sock = next((request.environ[k] for k in SOCKET_KEYS if k in request.environ), None)
        if sock is None:
            raise RuntimeError("disconnect needs a real server (werkzeug or gunicorn) under the emulator")
        sock.shutdown(socket.SHUT_RDWR)  # the server's write then fails, and it drops the connection
    return response


def install(app: Flask) -> None:
    app.before_request(before_request)
    app.after_request(after_request)
