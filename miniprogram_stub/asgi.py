"""The emulator as an ASGI app, for gunicorn's asyncio worker: `gunicorn -k asgi --asgi-lifespan off
"miniprogram_stub.asgi:create_asgi_app()"` (what the delivery bench serves WeChat's side with).

One process keeps the emulator's state in memory, so one process must carry the whole send rate.
Under gunicorn's threaded worker a request costs about 200–250 µs of server CPU before the app
runs (a thread hand-off and a poller round per request); its asyncio worker, about 90 µs. So
``subscribe/send`` is answered on the event loop itself (``fastpath.answer_send``: no I/O, a short
lock), and every other request goes to the same Flask app as ever, on a thread pool (a push
event calls back into yss and may take a while). The WSGI bridge below is the minimum PEP 3333
asks for; a library such as a2wsgi would do the same, were one a dependency.
The ``disconnect`` fault needs the client's socket, which ASGI does not expose: serve the WSGI
app (werkzeug, or gunicorn's gthread worker) to use it.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask

from miniprogram_stub.app import create_app
from miniprogram_stub.fastpath import HEADERS, answer_send
from miniprogram_stub.state import EXTENSION_KEY, SUBSCRIBE_SEND_PATH

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]
WSGI_THREADS = 16


async def _read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _environ(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    """A WSGI environ for one ASGI HTTP request (PEP 3333: text as latin-1 of the raw bytes)."""
    server = scope.get("server") or ("127.0.0.1", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] if server[1] is not None else 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": (scope.get("client") or ("", 0))[0],
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").upper().replace("-", "_"), raw_value.decode("latin-1")
        if name == "CONTENT_LENGTH":
            continue  # the body as read decides
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call_wsgi(app: Flask, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers
        return lambda _data: None  # the legacy write() callable; Flask does not use it

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer["headers"]]
    return answer["status"], headers, body


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_asgi_app(settings: dict[str, Any] | None = None) -> ASGIApp:
    """The emulator (``create_app(settings)``) behind an ASGI front that answers sends on the event loop."""
    flask_app = create_app(settings)
    state = flask_app.extensions[EXTENSION_KEY]
    pool = ThreadPoolExecutor(WSGI_THREADS, thread_name_prefix="emulator-wsgi")
    send_headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS]

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan or websockets: nothing to start or stop
        body = await _read_body(receive)
        if scope["path"] == SUBSCRIBE_SEND_PATH and scope["method"] == "POST":
            data = answer_send(state, scope.get("query_string", b"").decode("latin-1"), body)
            if data is not None:
                await _respond(send, 200, [*send_headers, (b"content-length", str(len(data)).encode())], data)
                return
        status, headers, data = await asyncio.get_running_loop().run_in_executor(
            pool, _call_wsgi, flask_app, _environ(scope, body))
        await _respond(send, status, headers, data)

    return app
