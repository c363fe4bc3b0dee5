"""WeChat login, access_token, phone number, login-state check and API quota endpoints.

Paths, parameters and errcodes are WeChat's own (see /work/shared/WECHAT.md). Business errors are
HTTP 200 with `{"errcode", "errmsg"}`. Where WeChat documents no code, the emulator's choice is
noted beside the check.

Tokens: each /cgi-bin/token answer supersedes the app's previous one, which keeps working for
5 minutes (40001 after). /cgi-bin/stable_token keeps its own token, independent of /cgi-bin/token,
as WeChat documents. Every access_token API answers 41001 missing, 40014 unknown or malformed,
40001 superseded, 42001 expired.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from miniprogram_stub.crypto import new_session_key, session_signature
from miniprogram_stub.replies import json_body, wechat_error, wechat_error_body, wechat_ok
from miniprogram_stub.state import (
    SUBSCRIBE_SEND_PATH,
    App,
    State,
    Token,
    get_state,
    new_token,
)

TOKEN_TTL = 7200
OVERLAP_SECONDS = 300  # a superseded token keeps working this long; stable_token renews in it
FORCE_REFRESH_PER_DAY = 20
FORCE_REFRESH_GAP = 30

bp = Blueprint("wechat", __name__)


def token_appid(state: State, value: str) -> str | dict[str, Any]:
    """The appid an access_token belongs to, or the WeChat error body to answer."""
    if not value:
        return wechat_error_body(41001, "access_token missing")
    with state.lock:
        token = state.tokens.get(value)
        now = state.now()
        if token is None:
            return wechat_error_body(40014, "invalid access_token")
        if token.superseded_at is not None and now >= token.superseded_at + OVERLAP_SECONDS:
            return wechat_error_body(40001, "invalid credential, access_token is invalid or not latest")
        if now >= token.expires_at:
            return wechat_error_body(42001, "access_token expired")
        return token.appid


def authorize(state: State) -> str | Response:
    """Check `?access_token=`; return the token's appid or the WeChat error to answer."""
    appid = token_appid(state, request.args.get("access_token", ""))
    return appid if isinstance(appid, str) else jsonify(appid)


def _check_app(state: State, appid: str, secret: str) -> App | Response:
    app = state.apps.get(appid)
    if app is None:
        return wechat_error(40013, "invalid appid")
    if app.secret != secret:
        return wechat_error(40125, "invalid appsecret")
    return app


def _issue(state: State, app: App, previous: str | None) -> Token:
    """A fresh token; the one it replaces stays usable for the overlap, then answers 40001."""
    now = state.now()
    if previous and previous in state.tokens:
        old = state.tokens[previous]
        if old.superseded_at is None:
            old.superseded_at = now
    token = Token(new_token(), app.appid, now + TOKEN_TTL)
    state.tokens[token.value] = token
    return token


@bp.get("/sns/jscode2session")
def jscode2session() -> Response:
    state = get_state()
    args = request.args
    if args.get("grant_type") != "authorization_code":
        return wechat_error(40002, "invalid grant_type")
    with state.lock:
        app = _check_app(state, args.get("appid", ""), args.get("secret", ""))
        if isinstance(app, Response):
            return app
        code = state.login_codes.get(args.get("js_code", ""))
        if code is None or code.appid != app.appid:
            return wechat_error(40029, "invalid code")
        if code.used:
            return wechat_error(40163, "code been used")
        if state.now() >= code.expires_at:
            return wechat_error(40029, "invalid code")
        code.used = True
        user = state.users[code.openid]
        if user.blocked:
            return wechat_error(40226, "invalid high risk user")
        user.session_key = new_session_key()  # rotated on every login
        body = {"openid": user.openid, "session_key": user.session_key}
        if user.unionid:
            body["unionid"] = user.unionid
    # The real endpoint has no errcode on success.
    return jsonify(body)


@bp.get("/cgi-bin/token")
def token() -> Response:
    state = get_state()
    args = request.args
    if args.get("grant_type") != "client_credential":
        return wechat_error(40002, "invalid grant_type")
    with state.lock:
        app = _check_app(state, args.get("appid", ""), args.get("secret", ""))
        if isinstance(app, Response):
            return app
        fresh = _issue(state, app, app.current_token)
        app.current_token = fresh.value
    return jsonify({"access_token": fresh.value, "expires_in": TOKEN_TTL})


@bp.post("/cgi-bin/stable_token")
def stable_token() -> Response:
    """Same token while it has more than 5 minutes left; a new one in its last 5 minutes.

    force_refresh always issues a new token (the old one gets the 5-minute overlap) and is
    limited to 20 a day and 30 s apart: 45009 beyond that.
    """
    state = get_state()
    body = json_body()
    if body is None:
        return wechat_error(47001, "data format error")
    if body.get("grant_type") != "client_credential":
        return wechat_error(40002, "invalid grant_type")
    force = body.get("force_refresh", False)
    if not isinstance(force, bool):
        return wechat_error(47001, "data format error: force_refresh")
    with state.lock:
        app = _check_app(state, str(body.get("appid", "")), str(body.get("secret", "")))
        if isinstance(app, Response):
            return app
        now = state.now()
        current = state.tokens.get(app.stable_token or "")
        if force:
            today = [t for t in app.force_refreshes if t > now - 86400]
            if len(today) >= FORCE_REFRESH_PER_DAY or (today and now - today[-1] < FORCE_REFRESH_GAP):
                return wechat_error(45009, "reach max api daily quota limit")
            app.force_refreshes = [*today, now]
            current = _issue(state, app, app.stable_token)
        elif current is None or current.expires_at - now <= OVERLAP_SECONDS:
            # Renewal in the last minutes leaves the old token to expire on its own.
            current = Token(new_token(), app.appid, now + TOKEN_TTL)
            state.tokens[current.value] = current
        app.stable_token = current.value
        expires_in = int(current.expires_at - now)
    return jsonify({"access_token": current.value, "expires_in": expires_in})


@bp.post("/wxa/business/getuserphonenumber")
def getuserphonenumber() -> Response:
    state = get_state()
    appid = authorize(state)
    if isinstance(appid, Response):
        return appid
    body = json_body()
    if body is None or not isinstance(body.get("code"), str):
        return wechat_error(47001, "data format error")
    with state.lock:
        code = state.phone_codes.get(body["code"])
        # Unknown, used, expired, another app's, or another user's code: all 40029.
        if (
            code is None
            or code.used
            or code.appid != appid
            or state.now() >= code.expires_at
            or (body.get("openid") and body["openid"] != code.openid)
        ):
            return wechat_error(40029, "invalid code")
        code.used = True
        user = state.users[code.openid]
        phone_info = phone_payload(user.phone, user.country_code, user.country_code_as_number, appid, state)
    return wechat_ok(phone_info=phone_info)


def phone_payload(
    phone: str, country_code: str, as_number: bool, appid: str, state: State
) -> dict[str, object]:
    """The phone fields WeChat returns (and encrypts as open data), watermark included."""
    full = phone if country_code == "86" else f"+{country_code}{phone}"
    return {
        "phoneNumber": full,
        "purePhoneNumber": phone,
        # WeChat sends the country code both ways; a per-user flag picks the number form.
        "countryCode": int(country_code) if as_number else country_code,
        "watermark": {"timestamp": int(state.now()), "appid": appid},
    }


@bp.get("/wxa/checksession")
def checksession() -> Response:
    state = get_state()
    appid = authorize(state)
    if isinstance(appid, Response):
        return appid
    args = request.args
    with state.lock:
        user = state.users.get(args.get("openid", ""))
        if user is None or user.appid != appid:
            return wechat_error(40003, "invalid openid")
        session_key = user.session_key
    if args.get("sig_method") != "hmac_sha256" or session_key is None:
        return wechat_error(87009, "invalid signature")
    if args.get("signature", "") != session_signature(session_key):
        return wechat_error(87009, "invalid signature")
    return wechat_ok()


@bp.post("/cgi-bin/openapi/quota/get")
def quota_get() -> Response:
    """Daily quota of one API; subscribe/send counts successful sends, others count calls.

    Unknown cgi_path: 76021 (WeChat's "cgi_path not found").
    """
    state = get_state()
    appid = authorize(state)
    if isinstance(appid, Response):
        return appid
    body = json_body()
    path = body.get("cgi_path") if body else None
    if not isinstance(path, str):
        return wechat_error(47001, "data format error")
    known = {rule.rule for rule in current_app.url_map.iter_rules() if not rule.rule.startswith("/__")}
    if path not in known:
        return wechat_error(76021, "cgi_path not found")
    with state.lock:
        used = state.daily_usage[(state.today(), path)]
        limit = state.daily_limit if path == SUBSCRIBE_SEND_PATH else 10_000_000
    return wechat_ok(quota={"daily_limit": limit, "used": used, "remain": max(limit - used, 0)})
