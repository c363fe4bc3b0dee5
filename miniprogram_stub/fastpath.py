"""`subscribe/send` answered without Flask's request machinery.

The send is the one call yss makes at volume (a delivery backlog); through Flask it costs the
emulator about 160 µs of CPU before any check runs, which caps a one-process emulator below the
rate yss must show. This path does the same work as the Flask route — ``subscribe.send_message``,
the same call counting — and answers the same bytes. Anything else, and a send while a fault is
queued for its path, goes through Flask (``faults`` then decides), so fault injection behaves the
same whichever path serves the call. ``FastSend`` puts it in front of the WSGI app; the ASGI app
(``asgi``) calls ``answer_send`` on its event loop.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from miniprogram_stub.state import SUBSCRIBE_SEND_PATH, State
from miniprogram_stub.subscribe import send_message

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEADERS = [("Content-Type", "application/json")]


def answer_send(state: State, query_string: str, raw_body: bytes) -> bytes | None:
    """The answer body of one ``POST subscribe/send``, or None when it must go through Flask (a fault queued)."""
    with state.lock:
        if state.faults.get(SUBSCRIBE_SEND_PATH):
            return None  # the fault hook counts the call and spends the fault
        state.calls[SUBSCRIBE_SEND_PATH] += 1
    token = parse_qs(query_string).get("access_token", [""])[0]
    try:
        body = json.loads(raw_body)  # as ``replies.json_body``: any content type; bad JSON or UTF-8 is None
    except ValueError:
        body = None
    answer = send_message(state, token, body if isinstance(body, dict) else None)
    # As Flask's jsonify answers here: sorted keys, compact, UTF-8, a trailing newline.
    return (json.dumps(answer, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode()


class FastSend:
    """WSGI middleware: ``POST subscribe/send`` without faults queued is answered here."""

    def __init__(self, app: WSGIApp, state: State) -> None:
        self.app, self.state = app, state

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SUBSCRIBE_SEND_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        data = answer_send(self.state, environ.get("QUERY_STRING", ""), raw)
        if data is None:
            environ["wsgi.input"] = io.BytesIO(raw)  # Flask reads the body again
            return self.app(environ, start_response)
        start_response("200 OK", [*HEADERS, ("Content-Length", str(len(data)))])
        return [data]

