"""The emulator's ASGI front (what the delivery bench serves): the send on the event loop, the rest
through the Flask app, the same answers either way."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

from miniprogram_stub.asgi import create_asgi_app

from .client import APPID, SECRET

SEND = "/cgi-bin/message/subscribe/send"


def _call(app, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None,
          chunks: int = 1) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request through the ASGI app, the body in ``chunks`` pieces as a server may deliver it."""
    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    step = max(1, -(-len(raw) // chunks))
    parts = [raw[i:i + step] for i in range(0, len(raw), step)] or [b""]
    messages = [{"type": "http.request", "body": p, "more_body": n < len(parts) - 1} for n, p in enumerate(parts)]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": method, "scheme": "http", "path": path,
             "query_string": urlencode(query or {}).encode(), "root_path": "",
             "headers": [(b"content-type", b"application/json"), (b"host", b"wechat.test")],
             "server": ("127.0.0.1", 8001), "client": ("127.0.0.1", 50000)}
    # In a thread of its own: a browser test's Playwright may hold this thread's event loop open.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start, end = sent
    return start["status"], dict(start["headers"]), end["body"]


def test_sends_on_the_event_loop_and_everything_else_through_flask_answer_alike() -> None:
    app = create_asgi_app({"apps": {APPID: SECRET}})
    template = {"template_id": "T", "kind": "long_term", "keywords": {"thing1": "thing"}}
    assert _call(app, "POST", "/__emulator__/templates", body=template)[0] == 200
    status, _headers, user = _call(app, "POST", "/__emulator__/users", body={"appid": APPID})
    openid = json.loads(user)["openid"]
    _call(app, "POST", "/__emulator__/consents", body={"openid": openid, "template_id": "T", "status": "accept"})
    token = json.loads(_call(app, "GET", "/cgi-bin/token", {"grant_type": "client_credential", "appid": APPID,
                                                           "secret": SECRET})[2])["access_token"]
    message = {"touser": openid, "template_id": "T", "data": {"thing1": {"value": "身份证即将到期"}}}
    status, headers, body = _call(app, "POST", SEND, {"access_token": token}, message, chunks=3)
    assert (status, headers[b"content-type"], body) == (200, b"application/json",
                                                        b'{"errcode":0,"errmsg":"ok","msgid":1000001}\n')
    assert headers[b"content-length"] == str(len(body)).encode()
    # A fault queued sends the call through Flask, which spends it.
    _call(app, "POST", "/__emulator__/faults", body={"path": SEND, "kind": "busy"})
    assert json.loads(_call(app, "POST", SEND, {"access_token": token}, message)[2])["errcode"] == -1
    assert _call(app, "POST", SEND, {"access_token": token}, b"not json")[2].startswith(b'{"errcode":47001,')
    assert json.loads(_call(app, "POST", SEND, {"access_token": "bogus"}, message)[2])["errcode"] == 40014
    sent = json.loads(_call(app, "GET", "/__emulator__/sent", {"openid": openid})[2])["sent"]
    assert [m["data"]["thing1"]["value"] for m in sent] == ["身份证即将到期"]
    assert json.loads(_call(app, "GET", "/__emulator__/stats")[2])["calls"] == {"/cgi-bin/token": 1, SEND: 4}
    status, _headers, missing = _call(app, "GET", "/nothing")
    assert status == 404 and json.loads(missing)["code"] == "not_found"
