"""Fault injection, call statistics, reset, and developer-API validation."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .client import APPID, SECRET, Emulator

TOKEN = "/cgi-bin/token"
TOKEN_PARAMS = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}


def _fault(emulator: Emulator, path: str, kind: str, **extra: object) -> None:
    emulator.ok("POST", "/faults", {"path": path, "kind": kind, **extra})


def test_busy_then_normal(emulator: Emulator) -> None:
    _fault(emulator, TOKEN, "busy")
    assert emulator.get(TOKEN, **TOKEN_PARAMS).json()["errcode"] == -1
    assert "access_token" in emulator.get(TOKEN, **TOKEN_PARAMS).json()


def test_fault_count_and_queue_order(emulator: Emulator) -> None:
    _fault(emulator, TOKEN, "rate_limit", count=2)
    _fault(emulator, TOKEN, "http_500")
    codes = [emulator.get(TOKEN, **TOKEN_PARAMS) for _ in range(4)]
    assert [r.json()["errcode"] for r in codes[:2]] == [45011, 45011]
    assert all(r.status_code == 200 for r in codes[:2])
    assert codes[2].status_code == 500 and codes[2].headers["Content-Type"].startswith("text/plain")
    assert "access_token" in codes[3].json()


def test_rate_limit_on_send_is_45009_and_blocked_login(emulator: Emulator) -> None:
    _fault(emulator, "/cgi-bin/message/subscribe/send", "rate_limit")
    token = emulator.token()
    body = emulator.post("/cgi-bin/message/subscribe/send", {}, access_token=token).json()
    assert body["errcode"] == 45009
    openid = emulator.user()["openid"]
    _fault(emulator, "/sns/jscode2session", "blocked")
    assert emulator.login(openid)["errcode"] == 40226
    assert "session_key" in emulator.login(openid)


def test_slow_answers_late_but_normally(emulator: Emulator) -> None:
    _fault(emulator, TOKEN, "slow", delay_seconds=0.4)
    started = time.monotonic()
    assert "access_token" in emulator.get(TOKEN, **TOKEN_PARAMS).json()
    assert time.monotonic() - started >= 0.4


def test_clear_faults(emulator: Emulator) -> None:
    _fault(emulator, TOKEN, "busy", count=5)
    emulator.ok("DELETE", "/faults")
    assert "access_token" in emulator.get(TOKEN, **TOKEN_PARAMS).json()


def test_stats_count_every_call_including_concurrent(emulator: Emulator) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: emulator.token(), range(20)))
    emulator.get("/sns/jscode2session")
    emulator.post("/registry/population/v1/verify", {"name": "x", "id_number": "y"})
    emulator.ok("GET", "/clock")
    calls = emulator.ok("GET", "/stats")["calls"]
    assert calls == {TOKEN: 20, "/sns/jscode2session": 1, "/registry/population/v1/verify": 1}


def test_reset_forgets_state_but_keeps_preset_apps(emulator: Emulator) -> None:
    openid = emulator.user()["openid"]
    emulator.token()
    emulator.advance(1000)
    emulator.ok("POST", "/reset")
    assert emulator.dev("GET", f"/users/{openid}").status_code == 404
    assert emulator.ok("GET", "/stats")["calls"] == {}
    assert abs(emulator.ok("GET", "/clock")["now"] - time.time()) < 5
    assert "access_token" in emulator.get(TOKEN, **TOKEN_PARAMS).json()


def test_dev_api_validation_errors(emulator: Emulator) -> None:
    bad = [
        ("/faults", {"path": TOKEN, "kind": "explode"}),
        ("/clock", {"advance_seconds": -1}),
        ("/users", {"appid": "wx-not-registered"}),
        ("/users", {"appid": APPID, "blocked": "yes"}),
        ("/templates", {"template_id": "T", "keywords": {"k": "emoji"}}),
        ("/consents", {"openid": "o", "template_id": "T", "status": "maybe"}),
        ("/registry/persons", {"name": "张三"}),
    ]
    for path, body in bad:
        response = emulator.dev("POST", path, body)
        assert response.status_code == 400, path
        assert response.json()["code"] == "bad_request"
    not_json = emulator.http.post(f"{emulator.url}/__emulator__/apps", data="not json", timeout=10)
    assert not_json.status_code == 400


def test_register_app_and_use_it(emulator: Emulator) -> None:
    emulator.ok("POST", "/apps", {"appid": "wxsecond", "secret": "s2"})
    params = {"grant_type": "client_credential", "appid": "wxsecond", "secret": "s2"}
    assert "access_token" in emulator.get(TOKEN, **params).json()


def test_unknown_paths_answer_json(emulator: Emulator) -> None:
    missing = emulator.dev("GET", "/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert emulator.get("/cgi-bin/stable_token").status_code == 405


def test_disconnect_carries_the_call_out_and_drops_the_answer(emulator: Emulator) -> None:
    """The ambiguous failure: the caller sees the connection close without an answer, yet WeChat
    has acted (here: a message sent, which a sender must not blindly send again)."""
    send = "/cgi-bin/message/subscribe/send"
    emulator.ok("POST", "/templates", {"template_id": "T", "kind": "long_term", "keywords": {"thing1": "thing"}})
    openid, token = emulator.user()["openid"], emulator.token()
    emulator.ok("POST", "/consents", {"openid": openid, "template_id": "T", "status": "accept"})
    _fault(emulator, send, "disconnect")
    body = {"touser": openid, "template_id": "T", "data": {"thing1": {"value": "第一条"}}}
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{emulator.url}{send}", json=body, params={"access_token": token}, timeout=10)
    assert [m["data"]["thing1"]["value"] for m in emulator.ok("GET", "/sent", openid=openid)["sent"]] == ["第一条"]
    assert emulator.post(send, {**body, "data": {"thing1": {"value": "第二条"}}}, access_token=token).json()[
        "errcode"] == 0, "the fault is spent: the next call is answered"
    assert emulator.ok("GET", "/stats")["calls"][send] == 2
