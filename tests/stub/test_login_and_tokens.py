"""jscode2session, access_token, stable_token and token checks against a live emulator."""

from __future__ import annotations

import base64
import hashlib
import hmac

from .client import APPID, SECRET, Emulator


def _session(emulator: Emulator, code: str, **overrides: str) -> dict:
    params = {"appid": APPID, "secret": SECRET, "js_code": code, "grant_type": "authorization_code"}
    response = emulator.get("/sns/jscode2session", **{**params, **overrides})
    assert response.status_code == 200
    return response.json()


def test_login_code_is_single_use(emulator: Emulator) -> None:
    user = emulator.user(unionid="uUNION1")
    code = emulator.ok("POST", f"/users/{user['openid']}/login-code")["code"]
    first = _session(emulator, code)
    assert first["openid"] == user["openid"]
    assert first["unionid"] == "uUNION1"
    assert len(base64.b64decode(first["session_key"])) == 16
    again = _session(emulator, code)
    assert again["errcode"] == 40163
    assert " rid: " in again["errmsg"]


def test_login_code_expires_after_five_minutes(emulator: Emulator) -> None:
    user = emulator.user()
    code = emulator.ok("POST", f"/users/{user['openid']}/login-code")["code"]
    emulator.advance(301)
    assert _session(emulator, code)["errcode"] == 40029
    assert _session(emulator, "no-such-code")["errcode"] == 40029


def test_unionid_only_when_user_has_one(emulator: Emulator) -> None:
    user = emulator.user()
    assert user["openid"].startswith("o") and len(user["openid"]) == 28
    assert "unionid" not in emulator.login(user["openid"])


def test_session_key_rotates_on_each_login(emulator: Emulator) -> None:
    openid = emulator.user()["openid"]
    first = emulator.login(openid)["session_key"]
    second = emulator.login(openid)["session_key"]
    assert first != second
    assert emulator.ok("GET", f"/users/{openid}")["session_key"] == second


def test_wrong_secret_unknown_appid_and_blocked_user(emulator: Emulator) -> None:
    user = emulator.user(blocked=True)
    code = emulator.ok("POST", f"/users/{user['openid']}/login-code")["code"]
    assert _session(emulator, code, secret="wrong")["errcode"] == 40125
    assert _session(emulator, code, appid="wxunknown")["errcode"] == 40013
    assert _session(emulator, code)["errcode"] == 40226


def test_checksession_signature(emulator: Emulator) -> None:
    openid = emulator.user()["openid"]
    session_key = emulator.login(openid)["session_key"]
    token = emulator.token()
    good = hmac.new(session_key.encode(), b"", hashlib.sha256).hexdigest()
    params = {"access_token": token, "openid": openid, "sig_method": "hmac_sha256"}
    assert emulator.get("/wxa/checksession", **params, signature=good).json()["errcode"] == 0
    assert emulator.get("/wxa/checksession", **params, signature="00" * 32).json()["errcode"] == 87009


def _quota(emulator: Emulator, token: str | None) -> dict:
    params = {"access_token": token} if token is not None else {}
    return emulator.post("/cgi-bin/openapi/quota/get", {"cgi_path": "/cgi-bin/token"}, **params).json()


def test_token_superseded_keeps_working_five_minutes_then_40001(emulator: Emulator) -> None:
    old = emulator.token()
    new = emulator.token()
    assert old != new
    assert _quota(emulator, old)["errcode"] == 0
    emulator.advance(299)
    assert _quota(emulator, old)["errcode"] == 0
    emulator.advance(2)
    assert _quota(emulator, old)["errcode"] == 40001
    assert _quota(emulator, new)["errcode"] == 0


def test_token_expires_after_two_hours_and_bad_tokens(emulator: Emulator) -> None:
    token = emulator.token()
    body = _quota(emulator, token)
    assert body["quota"] == {"daily_limit": 10_000_000, "used": 1, "remain": 9_999_999}
    emulator.advance(7200)
    assert _quota(emulator, token)["errcode"] == 42001
    assert _quota(emulator, None)["errcode"] == 41001
    assert _quota(emulator, "garbage")["errcode"] == 40014


def _stable(emulator: Emulator, force: bool = False) -> dict:
    body = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": force}
    return emulator.post("/cgi-bin/stable_token", body).json()


def test_stable_token_same_while_valid_new_in_last_five_minutes(emulator: Emulator) -> None:
    first = _stable(emulator)
    assert first["expires_in"] == 7200
    emulator.advance(1000)
    second = _stable(emulator)
    assert second["access_token"] == first["access_token"]
    assert 6198 <= second["expires_in"] <= 6200  # real seconds pass too
    emulator.advance(6200 - 299)
    third = _stable(emulator)
    assert third["access_token"] != first["access_token"]
    assert third["expires_in"] == 7200
    assert _quota(emulator, first["access_token"])["errcode"] == 0  # still valid until it expires


def test_stable_token_force_refresh_limits(emulator: Emulator) -> None:
    first = _stable(emulator)
    forced = _stable(emulator, force=True)
    assert forced["access_token"] != first["access_token"]
    assert _stable(emulator, force=True)["errcode"] == 45009  # within 30 s
    for _ in range(19):
        emulator.advance(31)
        assert "access_token" in _stable(emulator, force=True)
    emulator.advance(31)
    assert _stable(emulator, force=True)["errcode"] == 45009  # 21st of the day
    emulator.advance(86400)
    assert "access_token" in _stable(emulator, force=True)


def test_stable_token_independent_of_plain_token(emulator: Emulator) -> None:
    stable = _stable(emulator)["access_token"]
    emulator.token()
    emulator.token()
    emulator.advance(600)
    assert _quota(emulator, stable)["errcode"] == 0
