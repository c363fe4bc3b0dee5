"""The developer API, under ``/__emulator__/`` and clearly apart from the WeChat paths: create test
users, mint what the WeChat client would obtain, set face outcomes, inject faults, move the clock,
read what was sent, and push subscribe events to yss."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict
from typing import Any

import requests
from flask import Blueprint, Response, current_app, jsonify, request

from miniprogram_stub.crypto import encrypt_message, encrypt_open_data, push_signature
from miniprogram_stub.messages import record_consent
from miniprogram_stub.state import Fault, Template, User
from miniprogram_stub.wechat import world

blp = Blueprint("devapi", __name__, url_prefix="/__emulator__")
FAULT_KINDS = {"busy", "rate_limit", "slow", "http_500", "blocked"}


def bad(message: str, status: int = 400) -> tuple[Response, int]:
    codes = {400: "bad_request", 404: "not_found", 409: "conflict"}
    return jsonify(code=codes.get(status, "bad_request"), message=message), status


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _user(openid: str) -> User | None:
    return world().users.get(openid)


@blp.post("/reset")
def reset() -> Response:
    world().reset()
    world().apps.update(current_app.extensions["emulator_initial_apps"])  # configured apps stay
    return jsonify(ok=True)


@blp.route("/clock", methods=["GET", "POST"])
def clock() -> Response:
    w = world()
    if request.method == "POST":
        w.offset += float(body().get("advance_seconds", 0))
    return jsonify(now=w.now())


@blp.post("/apps")
def add_app() -> Response | tuple[Response, int]:
    data = body()
    if not data.get("appid") or not data.get("secret"):
        return bad("appid and secret are required")
    world().apps[data["appid"]] = data["secret"]
    return jsonify(appid=data["appid"])


@blp.post("/users")
def add_user() -> Response | tuple[Response, int]:
    data, w = body(), world()
    if data.get("appid") not in w.apps:
        return bad("unknown appid")
    openid = data.get("openid") or "o" + secrets.token_urlsafe(20)[:27]
    user = User(appid=data["appid"], openid=openid, unionid=data.get("unionid"), phone=data.get("phone"),
                country_code=str(data.get("country_code", "86")), name=data.get("name"),
                id_number=(data.get("id_number") or "").upper() or None, blocked=bool(data.get("blocked")),
                country_code_as_number=bool(data.get("country_code_as_number")))
    with w.lock:
        w.users[openid] = user
    return jsonify(_public_user(user))


def _public_user(user: User) -> dict[str, Any]:
    data = asdict(user)
    data.pop("session_key")
    return data


@blp.get("/users/<openid>")
def get_user(openid: str) -> Response | tuple[Response, int]:
    user = _user(openid)
    return jsonify(_public_user(user)) if user else bad("unknown openid", 404)


@blp.post("/users/<openid>/login-code")
def login_code(openid: str) -> Response | tuple[Response, int]:
    if _user(openid) is None:
        return bad("unknown openid", 404)
    return jsonify(code=world().mint_code(openid, "login"))


@blp.post("/users/<openid>/phone-code")
def phone_code(openid: str) -> Response | tuple[Response, int]:
    user = _user(openid)
    if user is None or not user.phone:
        return bad("unknown openid or user without a phone", 404)
    return jsonify(code=world().mint_code(openid, "phone"))


@blp.post("/users/<openid>/encrypted-phone")
def encrypted_phone(openid: str) -> Response | tuple[Response, int]:
    user = _user(openid)
    if user is None:
        return bad("unknown openid", 404)
    if user.session_key is None:
        return bad("the user never logged in: no session_key", 409)
    appid = body().get("appid") or user.appid
    payload = {"phoneNumber": user.phone, "purePhoneNumber": user.phone, "countryCode": user.country_code,
               "watermark": {"timestamp": int(world().now()), "appid": appid}}
    encrypted, iv = encrypt_open_data(user.session_key, payload)
    return jsonify(encryptedData=encrypted, iv=iv)


@blp.post("/users/<openid>/face-outcome")
def face_outcome(openid: str) -> Response | tuple[Response, int]:
    user = _user(openid)
    if user is None:
        return bad("unknown openid", 404)
    user.face_outcome = int(body().get("verify_ret", 10000))
    return jsonify(verify_ret=user.face_outcome)


@blp.post("/face/<verify_id>/run")
def run_face(verify_id: str) -> Response | tuple[Response, int]:
    """What wx.requestFacialVerify finishing on the phone does."""
    w = world()
    with w.lock:
        check = w.faces.get(verify_id)
        if check is None:
            return bad("unknown verify_id", 404)
        check.verify_ret = int(body().get("verify_ret") or w.users[check.openid].face_outcome)
        return jsonify(verify_id=verify_id, verify_ret=check.verify_ret)


@blp.route("/faults", methods=["POST", "DELETE"])
def faults() -> Response | tuple[Response, int]:
    w = world()
    if request.method == "DELETE":
        w.faults.clear()
        return jsonify(ok=True)
    data = body()
    if not str(data.get("path", "")).startswith("/") or data.get("kind") not in FAULT_KINDS:
        return bad(f"path and kind ({', '.join(sorted(FAULT_KINDS))}) are required")
    fault = Fault(data["kind"], int(data.get("count", 1)), float(data.get("delay_seconds") or 0))
    with w.lock:
        w.faults.setdefault(data["path"], []).append(fault)
    return jsonify(path=data["path"], kind=fault.kind, count=fault.remaining)


@blp.get("/stats")
def stats() -> Response:
    return jsonify(calls=dict(world().calls))


@blp.post("/templates")
def templates() -> Response | tuple[Response, int]:
    data = body()
    if not data.get("template_id") or data.get("kind") not in ("one_time", "long_term") or not isinstance(
            data.get("keywords"), dict):
        return bad("template_id, kind (one_time|long_term) and keywords are required")
    world().templates[data["template_id"]] = Template(data["template_id"], data["kind"], data["keywords"],
                                                      data.get("enum_values") or {})
    return jsonify(template_id=data["template_id"])


@blp.post("/pages")
def pages() -> Response | tuple[Response, int]:
    path = body().get("path")
    if not path:
        return bad("path is required")
    world().pages.add(path)
    return jsonify(path=path)


@blp.route("/consents", methods=["GET", "POST"])
def consents() -> Response | tuple[Response, int]:
    w = world()
    if request.method == "GET":
        openid = request.args.get("openid")
        return jsonify([{"openid": o, "template_id": t, **c} for (o, t), c in w.consents.items()
                        if openid in (None, o)])
    data = body()
    if data.get("status") not in ("accept", "reject", "ban", "filter") or not data.get("openid"):
        return bad("openid, template_id and status (accept|reject|ban|filter) are required")
    return jsonify(record_consent(data["openid"], data["template_id"], data["status"]))


@blp.get("/sent")
def sent() -> Response:
    q = request.args
    return jsonify([m for m in world().sent if q.get("openid") in (None, m["openid"])
                    and q.get("template_id") in (None, m["template_id"])])


@blp.post("/quota")
def quota() -> Response:
    world().quota_limit = int(body().get("daily_limit", 10_000_000))
    return jsonify(daily_limit=world().quota_limit)


@blp.post("/registry/persons")
def add_person() -> Response | tuple[Response, int]:
    data = body()
    if not data.get("name") or not data.get("id_number") or data.get("status", "alive") not in ("alive", "deceased"):
        return bad("name, id_number and status (alive|deceased) are required")
    world().persons[data["id_number"].upper()] = {"name": data["name"], "status": data.get("status", "alive")}
    return jsonify(ok=True)


@blp.post("/registry/entities")
def add_entity() -> Response | tuple[Response, int]:
    data = body()
    if not data.get("uscc") or not data.get("name"):
        return bad("uscc and name are required")
    entity = {"uscc": data["uscc"].upper(), "name": data["name"], "type": data.get("type", "有限责任公司"),
              "status": data.get("status", "operating"), "registered_address": data.get("registered_address", ""),
              "legal_representative": data.get("legal_representative") or {}}
    world().entities[entity["uscc"]] = entity
    return jsonify(uscc=entity["uscc"])


@blp.post("/push-event")
def push_event() -> Response | tuple[Response, int]:
    """Push a subscribe event to yss's message endpoint, signed (and in safe mode encrypted)."""
    data = body()
    for key in ("url", "token", "appid", "event", "openid"):
        if not data.get(key):
            return bad(f"{key} is required")
    w = world()
    items = data.get("items") or []
    message = {"ToUserName": data["appid"], "FromUserName": data["openid"], "CreateTime": int(w.now()),
               "MsgType": "event", "Event": data["event"]}
    message["List"] = items[0] if len(items) == 1 else items  # WeChat: an object for one item
    if data["event"] == "subscribe_msg_popup_event":
        for item in items:
            if item.get("SubscribeStatusString") in ("accept", "reject"):
                record_consent(data["openid"], item["TemplateId"], item["SubscribeStatusString"])
    timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
    params = {"timestamp": timestamp, "nonce": nonce,
              "signature": push_signature(data["token"], timestamp, nonce)}
    payload: dict[str, Any] = message
    if data.get("safe_mode"):
        encrypted = encrypt_message(data["encoding_aes_key"], json.dumps(message, ensure_ascii=False), data["appid"])
        params.update(encrypt_type="aes", msg_signature=push_signature(data["token"], timestamp, nonce, encrypted))
        payload = {"ToUserName": data["appid"], "Encrypt": encrypted}
    answer = requests.post(data["url"], params=params, json=payload, timeout=10)
    return jsonify(status=answer.status_code, body=answer.text)
