"""`subscribe/send` answered straight from WSGI, without Flask's request machinery.

The send is the one call yss makes at volume (a delivery backlog); through Flask it costs the
emulator about 160 µs of CPU before any check runs, which caps a one-process emulator below the
rate yss must show. This path does the same work as the Flask route — ``subscribe.send_message``,
the same call counting — and answers the same bytes. Anything else, and a send while a fault is
queued for its path, goes through Flask (``faults`` then decides), so fault injection behaves the
same whichever path serves the call.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from miniprogram_stub.state import SUBSCRIBE_SEND_PATH, State
from miniprogram_stub.subscribe import send_message

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _body(environ: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON object posted, or None (as ``replies.json_body``: any content type, bad JSON is None)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    try:
        body = json.loads(raw)
    except ValueError:  # includes bad UTF-8
        return None
    return body if isinstance(body, dict) else None


class FastSend:
    """WSGI middleware: ``POST subscribe/send`` without faults queued is answered here."""

    def __init__(self, app: WSGIApp, state: State) -> None:
        self.app, self.state = app, state

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SUBSCRIBE_SEND_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        state = self.state
        with state.lock:
            if state.faults.get(SUBSCRIBE_SEND_PATH):
                return self.app(environ, start_response)  # the fault hook counts and spends it
            state.calls[SUBSCRIBE_SEND_PATH] += 1
        token = parse_qs(environ.get("QUERY_STRING", "")).get("access_token", [""])[0]
        answer = send_message(state, token, _body(environ))
        # As Flask's jsonify answers here: sorted keys, compact, UTF-8, a trailing newline.
        data = (json.dumps(answer, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]
