"""Subscribe messages: `POST /cgi-bin/message/subscribe/send` and the consent bookkeeping.

Consent per (openid, template), as the emulator models wx.requestSubscribeMessage answers:
- accept: one-time templates gain one credit (each send spends one); long-term allows many sends
  and lifts a ban.
- reject: a long-term template stops sending; on one-time templates it adds no credit but earlier
  unused accepts still hold (each accept is its own grant in WeChat).
- ban: the user switched the template off ("always refuse"); nothing sends until an accept.
- filter: the template was filtered out; nothing changes.
No usable consent → 43101.

Check order on send: token, body, 40003 openid, 40037 template, 41030 page, 47003 data and fields,
45009 daily quota, 43101 consent. Data keys the template does not have are ignored, as WeChat does.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from miniprogram_stub.keywords import check_value
from miniprogram_stub.replies import json_body, wechat_error_body
from miniprogram_stub.state import SUBSCRIBE_SEND_PATH, State, get_state
from miniprogram_stub.wechat import token_appid

CONSENT_STATUSES = ("accept", "reject", "ban", "filter")
MINIPROGRAM_STATES = ("developer", "trial", "formal")

bp = Blueprint("subscribe", __name__)


def apply_consent(state: State, openid: str, template_id: str, status: str) -> dict[str, Any]:
    """Record one consent answer; caller holds the lock. Returns the consent as JSON."""
    consent = state.consent(openid, template_id)
    template = state.templates.get(template_id)
    long_term = template is not None and template.kind == "long_term"
    if status == "accept":
        consent.banned = False
        if long_term:
            consent.long_term_allowed = True
        else:
            consent.credits += 1
    elif status == "reject":
        consent.long_term_allowed = False
    elif status == "ban":
        consent.banned = True
        consent.long_term_allowed = False
    if status != "filter":
        consent.status = status
    return {**consent.to_json(), "kind": template.kind if template else None}


def _page_allowed(state: State, page: str) -> bool:
    if not page or not state.pages:
        return True
    path = page.split("?", 1)[0].lstrip("/")
    return any(path.startswith(p.lstrip("/")) for p in state.pages)


def _check_data(data: Any, keywords: dict[str, str], enum_values: dict[str, list[str]]) -> str | None:
    """WeChat's 47003 errmsg for the first bad keyword, or None when all are fine."""
    if not isinstance(data, dict):
        return "argument invalid! data is empty"
    for name, kind in keywords.items():
        entry = data.get(name)
        if entry is None:
            return f"argument invalid! data.{name}.value is empty"
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str):
            return f"argument invalid! data.{name}.value is not a string"
        reason = check_value(kind, value, enum_values.get(name))
        if reason:
            return f"argument invalid! data.{name}.value {reason}"
    return None


def send_message(state: State, access_token: str, body: dict[str, Any] | None) -> dict[str, Any]:
    """One `subscribe/send` call: WeChat's answer body (always HTTP 200). Shared by the Flask route
    and the lean WSGI path (``fastpath``), so both check and record exactly the same way."""
    appid = token_appid(state, access_token)
    if not isinstance(appid, str):
        return appid
    if body is None:
        return wechat_error_body(47001, "data format error")
    openid, template_id, page = body.get("touser"), body.get("template_id"), body.get("page", "")
    with state.lock:
        user = state.users.get(openid) if isinstance(openid, str) else None
        if user is None or user.appid != appid:
            return wechat_error_body(40003, "invalid openid")
        template = state.templates.get(template_id) if isinstance(template_id, str) else None
        if template is None:
            return wechat_error_body(40037, "invalid template_id")
        if not isinstance(page, str) or not _page_allowed(state, page):
            return wechat_error_body(41030, "invalid page")
        problem = _check_data(body.get("data"), template.keywords, template.enum_values)
        if problem:
            return wechat_error_body(47003, problem)
        mp_state = body.get("miniprogram_state", "formal")
        if mp_state not in MINIPROGRAM_STATES:
            return wechat_error_body(47003, "argument invalid! miniprogram_state")
        usage_key = (state.today(), SUBSCRIBE_SEND_PATH)
        if state.daily_usage[usage_key] >= state.daily_limit:
            return wechat_error_body(45009, "reach max api daily quota limit")
        consent = state.consent(user.openid, template.template_id)
        if consent.banned:
            return wechat_error_body(43101, "user refuse to accept the msg")
        if template.kind == "long_term":
            if not consent.long_term_allowed:
                return wechat_error_body(43101, "user refuse to accept the msg")
        elif consent.credits <= 0:
            return wechat_error_body(43101, "user refuse to accept the msg")
        else:
            consent.credits -= 1
        state.daily_usage[usage_key] += 1
        state.next_msgid += 1
        msgid = state.next_msgid
        state.record_sent({
            "msgid": msgid,
            "appid": appid,
            "openid": user.openid,
            "template_id": template.template_id,
            "page": page,
            "data": body.get("data"),
            "miniprogram_state": mp_state,
            "lang": body.get("lang", "zh_CN"),
            "time": int(state.now()),
        })
    return {"errcode": 0, "errmsg": "ok", "msgid": msgid}


@bp.post(SUBSCRIBE_SEND_PATH)
def send() -> Response:
    return jsonify(send_message(get_state(), request.args.get("access_token", ""), json_body()))
