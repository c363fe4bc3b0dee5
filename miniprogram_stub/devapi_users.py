"""Developer API for users: create them, and play what their WeChat client would do.

POST /__emulator__/users                      create or update a user; without an openid, an
                                              existing user of the same (appid, phone) is updated
                                              and keeps its openid (WeChat's openid is stable)
GET  /__emulator__/users/<openid>             the user (session_key included)
POST /__emulator__/users/<openid>/login-code  what wx.login returns
POST /__emulator__/users/<openid>/phone-code  what the phone-number button returns
POST /__emulator__/users/<openid>/encrypted-phone   legacy open data under the current session_key
POST /__emulator__/users/<openid>/face-outcome      outcome of the user's next face step
POST /__emulator__/face/<verify_id>/run             the client's face step finishing
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from miniprogram_stub.crypto import encrypt_open_data
from miniprogram_stub.devapi import PREFIX, DevApiError, bad_request, body, field, optional_body
from miniprogram_stub.face import run_face_step
from miniprogram_stub.state import OneTimeCode, State, User, get_state, new_code, new_openid
from miniprogram_stub.wechat import phone_payload

CODE_TTL = 300  # login and phone-button codes live 5 minutes

bp = Blueprint("devapi_users", __name__, url_prefix=PREFIX)


def _user(state: State, openid: str) -> User:
    user = state.users.get(openid)
    if user is None:
        raise DevApiError(404, "not_found", f"no user {openid}")
    return user


def _default_phone(openid: str) -> str:
    # A stable, plausible mainland mobile number so every user can bind a phone.
    digits = "".join(str(ord(c) % 10) for c in openid[-8:])
    return "138" + digits


@bp.post("/users")
def upsert_user() -> Response:
    data = body()
    appid = field(data, "appid")
    openid = field(data, "openid", required=False)
    phone = field(data, "phone", required=False)
    state = get_state()
    with state.lock:
        if appid not in state.apps:
            raise bad_request(f"unknown appid {appid}; register it with POST {PREFIX}/apps")
        if openid is None:
            same_phone = state.user_by_phone(appid, phone) if phone else None
            openid = same_phone.openid if same_phone else new_openid()
        user = state.users.get(openid) or User(appid=appid, openid=openid, phone=_default_phone(openid))
        if user.appid != appid:
            raise DevApiError(409, "conflict", f"{openid} belongs to {user.appid}")
        for name in ("unionid", "phone", "name", "id_number"):
            value = field(data, name, required=False)
            if value is not None:
                setattr(user, name, value)
        country_code = field(data, "country_code", (str, int), required=False)
        if country_code is not None:
            user.country_code = str(country_code).lstrip("+")
        for flag in ("blocked", "country_code_as_number"):
            value = field(data, flag, bool, required=False)
            if value is not None:
                setattr(user, flag, value)
        state.users[openid] = user
        state.save_users()
        return jsonify(user.to_json())


@bp.get("/users/<openid>")
def get_user(openid: str) -> Response:
    state = get_state()
    with state.lock:
        return jsonify(_user(state, openid).to_json())


def _issue_code(openid: str, codes_attr: str) -> Response:
    state = get_state()
    with state.lock:
        user = _user(state, openid)
        code = OneTimeCode(new_code(), user.appid, openid, state.now() + CODE_TTL)
        getattr(state, codes_attr)[code.code] = code
    return jsonify({"code": code.code})


@bp.post("/users/<openid>/login-code")
def login_code(openid: str) -> Response:
    return _issue_code(openid, "login_codes")


@bp.post("/users/<openid>/phone-code")
def phone_code(openid: str) -> Response:
    return _issue_code(openid, "phone_codes")


@bp.post("/users/<openid>/encrypted-phone")
def encrypted_phone(openid: str) -> Response:
    data = optional_body()
    state = get_state()
    with state.lock:
        user = _user(state, openid)
        if user.session_key is None:
            raise DevApiError(409, "conflict", "the user has not logged in: no session_key yet")
        appid = field(data, "appid", required=False) or user.appid  # override tests a bad watermark
        payload = phone_payload(user.phone, user.country_code, user.country_code_as_number, appid, state)
        session_key = user.session_key
    encrypted, iv = encrypt_open_data(session_key, payload)
    return jsonify({"encryptedData": encrypted, "iv": iv})


@bp.post("/users/<openid>/face-outcome")
def face_outcome(openid: str) -> Response:
    verify_ret = field(body(), "verify_ret", int)
    state = get_state()
    with state.lock:
        user = _user(state, openid)
        user.face_outcome = verify_ret
    return jsonify({"openid": openid, "verify_ret": verify_ret})


@bp.post("/face/<verify_id>/run")
def run_face(verify_id: str) -> Response:
    data = optional_body()
    verify_ret = field(data, "verify_ret", int, required=False)
    state = get_state()
    with state.lock:
        result = run_face_step(state, verify_id, verify_ret)
        if isinstance(result, str):
            status = 404 if result.startswith("unknown") else 409
            raise DevApiError(status, "not_found" if status == 404 else "conflict", result)
        return jsonify({"verify_id": verify_id, "openid": result.openid, "verify_ret": result.verify_ret})
