"""Face verification (real-name L3): getverifyid and queryverifyinfo.

Emulator choices where WeChat documents no code:
- 47001 for a malformed body: out_seq_no not 5–32 of [0-9A-Za-z_-], an out_seq_no already used by
  this app, cert_type other than IDENTITY_CARD, or an empty cert_name / cert_no.
- 40003 for an openid unknown to the token's app.
- queryverifyinfo with an unknown verify_id (or another app's): 47001; after its hour: 42003
  ("expired", not a token error, so clients do not refresh their access_token over it).
- Before the client's face step has finished: errcode 0, verify_ret 90017 (timed out / no result).
- Users registered without name and id_number accept any cert; otherwise a cert that is not the
  user's own is verify_ret 10003.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response

from miniprogram_stub.crypto import cert_hash
from miniprogram_stub.replies import json_body, wechat_error, wechat_ok
from miniprogram_stub.state import State, Verify, get_state, new_verify_id
from miniprogram_stub.wechat import authorize

VERIFY_TTL = 3600
PASSED = 10000
BAD_PARAMETERS = 10001
ID_MISMATCH = 10003
NO_RESULT = 90017
OUT_SEQ_NO = re.compile(r"^[0-9A-Za-z_-]{5,32}$")

bp = Blueprint("face", __name__)


@bp.post("/cityservice/face/identify/getverifyid")
def getverifyid() -> Response:
    state = get_state()
    appid = authorize(state)
    if isinstance(appid, Response):
        return appid
    body = json_body() or {}
    out_seq_no, cert, openid = body.get("out_seq_no"), body.get("cert_info"), body.get("openid")
    if not isinstance(out_seq_no, str) or not OUT_SEQ_NO.match(out_seq_no):
        return wechat_error(47001, "data format error: out_seq_no")
    if not isinstance(cert, dict) or cert.get("cert_type") != "IDENTITY_CARD":
        return wechat_error(47001, "data format error: cert_info.cert_type")
    name, number = cert.get("cert_name"), cert.get("cert_no")
    if not (isinstance(name, str) and name and isinstance(number, str) and number):
        return wechat_error(47001, "data format error: cert_info")
    with state.lock:
        user = state.users.get(openid) if isinstance(openid, str) else None
        if user is None or user.appid != appid:
            return wechat_error(40003, "invalid openid")
        if (appid, out_seq_no) in state.out_seq_nos:
            return wechat_error(47001, "data format error: out_seq_no duplicated")
        state.out_seq_nos.add((appid, out_seq_no))
        verify = Verify(
            new_verify_id(),
            appid,
            user.openid,
            out_seq_no,
            "IDENTITY_CARD",
            name,
            number,
            state.now() + VERIFY_TTL,
        )
        state.verifies[verify.verify_id] = verify
    return wechat_ok(verify_id=verify.verify_id, expires_in=VERIFY_TTL)


def _verdict(state: State, verify: Verify) -> int:
    """verify_ret once the request's parameters have matched."""
    if verify.verify_ret is None:
        return NO_RESULT
    if verify.verify_ret != PASSED:
        return verify.verify_ret
    user = state.users[verify.openid]
    if user.id_number is None and user.name is None:
        return PASSED
    if verify.cert_no.upper() != (user.id_number or "").upper() or verify.cert_name != user.name:
        return ID_MISMATCH
    return PASSED


@bp.post("/cityservice/face/identify/queryverifyinfo")
def queryverifyinfo() -> Response:
    state = get_state()
    appid = authorize(state)
    if isinstance(appid, Response):
        return appid
    body = json_body() or {}
    with state.lock:
        verify = state.verifies.get(str(body.get("verify_id", "")))
        if verify is None or verify.appid != appid:
            return wechat_error(47001, "data format error: verify_id")
        if state.now() >= verify.expires_at:
            return wechat_error(42003, "verify_id expired")
        expected_hash = cert_hash(verify.cert_type, verify.cert_name, verify.cert_no)
        if (
            body.get("out_seq_no") != verify.out_seq_no
            or body.get("openid") != verify.openid
            or str(body.get("cert_hash", "")).lower() != expected_hash
        ):
            return wechat_ok(verify_ret=BAD_PARAMETERS)
        return wechat_ok(verify_ret=_verdict(state, verify))


def run_face_step(state: State, verify_id: str, verify_ret: int | None) -> Verify | str:
    """Play the client's wx.requestFacialVerify finishing; returns the verify or why it cannot.

    Without an explicit verify_ret the user's pending face outcome is used (once), else a pass.
    Caller holds the lock.
    """
    verify = state.verifies.get(verify_id)
    if verify is None:
        return "unknown verify_id"
    if state.now() >= verify.expires_at:
        return "verify_id expired"
    user = state.users[verify.openid]
    if verify_ret is None:
        verify_ret = user.face_outcome if user.face_outcome is not None else PASSED
        user.face_outcome = None
    verify.verify_ret = verify_ret
    return verify
