"""The WeChat server paths yss calls, with WeChat's bodies, errcodes and semantics
(shared/WECHAT.md). HTTP 200 even for business errors; errmsg carries a ``rid`` suffix."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from miniprogram_stub.crypto import cert_hash
from miniprogram_stub.state import CODE_TTL, VERIFY_TTL, FaceCheck, World, rid

blp = Blueprint("wechat", __name__)
_OUT_SEQ = re.compile(r"^[0-9A-Za-z_-]{5,32}$")
_FAULTED_PREFIXES = ("/sns/", "/cgi-bin/", "/wxa/", "/cityservice/", "/registry/")


def world() -> World:
    return current_app.extensions["emulator_world"]


def err(errcode: int, errmsg: str) -> Response:
    return jsonify(errcode=errcode, errmsg=f"{errmsg} rid: {rid()}")


def ok(**body: Any) -> Response:
    return jsonify(errcode=0, errmsg="ok", **body)


def apply_fault() -> Response | None:
    """Injected faults for the next calls to a path (developer API ``/faults``)."""
    if not request.path.startswith(_FAULTED_PREFIXES):
        return None
    fault = world().take_fault(request.path)
    if fault is None:
        return None
    if fault.kind == "slow":
        time.sleep(fault.delay_seconds or 2.0)
        return None
    if fault.kind == "http_500":
        return Response("upstream error", status=500, mimetype="text/plain")
    if fault.kind == "busy":
        return err(-1, "system error")
    if fault.kind == "rate_limit":
        if request.path.endswith("/subscribe/send"):
            return err(45009, "reach max api daily quota limit")
        return err(45011, "api minute-quota reach limit  mustslower  retry next minute")
    if fault.kind == "blocked":
        return err(40226, "invalid user, high risk")
    return None


def _token_check() -> tuple[str | None, Response | None]:
    value = request.args.get("access_token")
    errcode = world().token_error(value)
    if errcode:
        messages = {41001: "access_token missing", 40014: "invalid access_token",
                    40001: "invalid credential, access_token is invalid or not latest",
                    42001: "access_token expired"}
        return None, err(errcode, messages[errcode])
    return world().app_of(value), None


def _json() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@blp.get("/sns/jscode2session")
def jscode2session() -> Response:
    w, q = world(), request.args
    with w.lock:
        appid = q.get("appid", "")
        if appid not in w.apps:
            return err(40013, "invalid appid")
        if w.apps[appid] != q.get("secret"):
            return err(40125, "invalid appsecret")
        code = w.codes.get(q.get("js_code", ""))
        if code is None or code.kind != "login" or w.now() - code.issued > CODE_TTL:
            return err(40029, "invalid code")
        if code.used:
            return err(40163, "code been used")
        code.used = True
        user = w.users[code.openid]
        if user.blocked:
            return err(40226, "invalid user, high risk")
        body = {"openid": user.openid, "session_key": w.new_session_key(user)}
        if user.unionid:
            body["unionid"] = user.unionid
        return jsonify(body)


@blp.get("/cgi-bin/token")
def token() -> Response:
    w, q = world(), request.args
    with w.lock:
        if q.get("grant_type") != "client_credential":
            return err(40002, "invalid grant_type")
        appid = q.get("appid", "")
        if appid not in w.apps:
            return err(40013, "invalid appid")
        if w.apps[appid] != q.get("secret"):
            return err(40125, "invalid appsecret")
        issued = w.issue_token(appid)
        return jsonify(access_token=issued.value, expires_in=int(issued.expires - w.now()))


@blp.post("/cgi-bin/stable_token")
def stable_token() -> Response:
    w, body = world(), _json()
    with w.lock:
        appid = body.get("appid", "")
        if appid not in w.apps:
            return err(40013, "invalid appid")
        if w.apps[appid] != body.get("secret"):
            return err(40125, "invalid appsecret")
        now = w.now()
        current = next((t for t in w.tokens.values() if t.appid == appid and t.stable and t.superseded_at is None
                        and t.expires > now), None)
        if body.get("force_refresh"):
            recent = [t for t in w.stable_force.get(appid, []) if now - t < 86400]
            if len(recent) >= 20 or (recent and now - recent[-1] < 30):
                return err(45009, "reach max api daily quota limit")
            w.stable_force[appid] = [*recent, now]
            current = None
        if current is None or current.expires - now <= 300:
            current = w.issue_token(appid, stable=True)
        return jsonify(access_token=current.value, expires_in=int(current.expires - now))


@blp.post("/wxa/business/getuserphonenumber")
def getuserphonenumber() -> Response:
    w = world()
    with w.lock:
        appid, error = _token_check()
        if error:
            return error
        code = w.codes.get(_json().get("code", ""))
        if code is None or code.kind != "phone" or code.used or w.now() - code.issued > CODE_TTL:
            return err(40029, "invalid code")
        code.used = True
        user = w.users[code.openid]
        country = int(user.country_code) if user.country_code_as_number else user.country_code
        return ok(phone_info={
            "phoneNumber": f"+{user.country_code}{user.phone}" if user.country_code != "86" else user.phone,
            "purePhoneNumber": user.phone, "countryCode": country,
            "watermark": {"timestamp": int(w.now()), "appid": appid},
        })


@blp.get("/wxa/checksession")
def checksession() -> Response:
    import hashlib
    import hmac

    w, q = world(), request.args
    with w.lock:
        _appid, error = _token_check()
        if error:
            return error
        user = w.users.get(q.get("openid", ""))
        if user is None or user.session_key is None:
            return err(87009, "invalid signature")
        expected = hmac.new(user.session_key.encode(), b"", hashlib.sha256).hexdigest()
        return ok() if hmac.compare_digest(expected, q.get("signature", "")) else err(87009, "invalid signature")


@blp.post("/cityservice/face/identify/getverifyid")
def getverifyid() -> Response:
    w, body = world(), _json()
    with w.lock:
        appid, error = _token_check()
        if error:
            return error
        out_seq_no = str(body.get("out_seq_no", ""))
        cert = body.get("cert_info") or {}
        user = w.users.get(body.get("openid", ""))
        if not _OUT_SEQ.match(out_seq_no) or (appid, out_seq_no) in w.out_seq_nos:
            return err(47001, "data format error: out_seq_no invalid or duplicated")
        if user is None:
            return err(40003, "invalid openid")
        if cert.get("cert_type") != "IDENTITY_CARD" or not cert.get("cert_name") or not cert.get("cert_no"):
            return err(47001, "data format error: cert_info")
        w.out_seq_nos.add((appid, out_seq_no))
        verify_id = secrets.token_urlsafe(24)
        w.faces[verify_id] = FaceCheck(verify_id, appid, user.openid, out_seq_no, cert["cert_name"],
                                       cert["cert_no"], w.now())
        return ok(verify_id=verify_id, expires_in=VERIFY_TTL)


@blp.post("/cityservice/face/identify/queryverifyinfo")
def queryverifyinfo() -> Response:
    w, body = world(), _json()
    with w.lock:
        _appid, error = _token_check()
        if error:
            return error
        check = w.faces.get(body.get("verify_id", ""))
        if check is None or w.now() - check.issued > VERIFY_TTL:
            return err(89302, "verify_id invalid or expired")
        user = w.users[check.openid]
        expected_hash = cert_hash("IDENTITY_CARD", check.cert_name, check.cert_no)
        if (body.get("out_seq_no") != check.out_seq_no or body.get("openid") != check.openid
                or body.get("cert_hash") != expected_hash):
            return ok(verify_ret=10001)
        if check.verify_ret is None:
            return ok(verify_ret=90017)  # the client never finished the face step
        if check.verify_ret == 10000 and (check.cert_no != user.id_number or check.cert_name != user.name):
            return ok(verify_ret=10003)
        return ok(verify_ret=check.verify_ret)
