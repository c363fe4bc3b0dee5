"""Developer API for subscribe messages and pushed events.

POST /__emulator__/templates   {template_id, kind: one_time|long_term, keywords: {name: type},
                                enum_values?: {name: [values]}}
GET  /__emulator__/templates   {"templates": [...]} what is registered
POST /__emulator__/pages       {path}  (once any page is registered, send checks page prefixes)
POST /__emulator__/consents    {openid, template_id, status: accept|reject|ban|filter}
GET  /__emulator__/consents?openid=
GET  /__emulator__/sent?openid=&template_id=
POST /__emulator__/quota       {daily_limit}
POST /__emulator__/push-event  {url, token, encoding_aes_key, appid, safe_mode? (default true), event,
                                openid, items: [{TemplateId, SubscribeStatusString | MsgID, ErrorCode,
                                ...}], to_user_name?, at? (Unix seconds the push happens; default the
                                emulator clock), retries? (0-3: WeChat sending the same message again,
                                each signed afresh 5 s later)}
                               → {"status", "body", "message", "request": {"query", "body"},
                                  "retries": [{"status", "body"}]}
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request

from miniprogram_stub.devapi import PREFIX, DevApiError, bad_request, body, choice, field
from miniprogram_stub.keywords import KEYWORD_TYPES
from miniprogram_stub.push import EVENTS, build_event, original_id, post, signed_request
from miniprogram_stub.state import Template, get_state
from miniprogram_stub.subscribe import CONSENT_STATUSES, apply_consent

bp = Blueprint("devapi_messages", __name__, url_prefix=PREFIX)


@bp.post("/templates")
def register_template() -> Response:
    data = body()
    template_id = field(data, "template_id")
    kind = choice(data, "kind", ("one_time", "long_term"), required=False) or "one_time"
    keywords = field(data, "keywords", dict)
    enum_values = field(data, "enum_values", dict, required=False) or {}
    for name, kw_type in keywords.items():
        if kw_type not in KEYWORD_TYPES:
            raise bad_request(f"keyword {name} has unknown type {kw_type}")
        if kw_type == "enum" and not isinstance(enum_values.get(name), list):
            raise bad_request(f"enum keyword {name} needs enum_values.{name}")
    state = get_state()
    with state.lock:
        state.templates[template_id] = Template(template_id, kind, dict(keywords), dict(enum_values))
    return jsonify(
        {"template_id": template_id, "kind": kind, "keywords": keywords, "enum_values": enum_values}
    )


@bp.get("/templates")
def list_templates() -> Response:
    state = get_state()
    with state.lock:
        return jsonify({"templates": [asdict(t) for t in state.templates.values()]})


@bp.post("/pages")
def register_page() -> Response:
    path = field(body(), "path")
    state = get_state()
    with state.lock:
        if path not in state.pages:
            state.pages.append(path)
        return jsonify({"pages": list(state.pages)})


@bp.post("/consents")
def record_consent() -> Response:
    data = body()
    openid, template_id = field(data, "openid"), field(data, "template_id")
    status = choice(data, "status", CONSENT_STATUSES)
    state = get_state()
    with state.lock:
        if openid not in state.users:
            raise DevApiError(404, "not_found", f"no user {openid}")
        if template_id not in state.templates:
            raise DevApiError(404, "not_found", f"no template {template_id}")
        return jsonify(apply_consent(state, openid, template_id, status))


@bp.get("/consents")
def list_consents() -> Response:
    openid = request.args.get("openid")
    state = get_state()
    with state.lock:
        rows = [
            {
                **c.to_json(),
                "kind": state.templates[c.template_id].kind if c.template_id in state.templates else None,
            }
            for c in state.consents.values()
            if openid is None or c.openid == openid
        ]
    return jsonify({"consents": rows})


@bp.get("/sent")
def list_sent() -> Response:
    openid, template_id = request.args.get("openid"), request.args.get("template_id")
    state = get_state()
    with state.lock:
        rows = [
            m
            for m in state.sent
            if (openid is None or m["openid"] == openid)
            and (template_id is None or m["template_id"] == template_id)
        ]
    return jsonify({"sent": rows})


@bp.post("/quota")
def set_quota() -> Response:
    limit = field(body(), "daily_limit", int)
    if limit < 0:
        raise bad_request("daily_limit must not be negative")
    state = get_state()
    with state.lock:
        state.daily_limit = limit
    return jsonify({"daily_limit": limit})


# How each event's item status moves the emulator's own consent state.
_POPUP = {"accept": "accept", "reject": "reject"}
_CHANGE = {"accept": "accept", "reject": "ban"}


@bp.post("/push-event")
def push_event() -> Response:
    data = body()
    url, token, appid = field(data, "url"), field(data, "token"), field(data, "appid")
    safe_mode = field(data, "safe_mode", bool, required=False) is not False  # safe mode unless asked
    aes_key = field(data, "encoding_aes_key", required=safe_mode) or ""
    if safe_mode and len(aes_key) != 43:
        raise bad_request("encoding_aes_key must be 43 characters")
    event = choice(data, "event", EVENTS)
    openid = field(data, "openid")
    items = field(data, "items", list)
    if not items or not all(isinstance(i, dict) and isinstance(i.get("TemplateId"), str) for i in items):
        raise bad_request("items must be a non-empty list of objects with TemplateId")
    to_user = field(data, "to_user_name", required=False) or original_id(appid)
    at = field(data, "at", int, required=False)
    retries = field(data, "retries", int, required=False) or 0
    if not 0 <= retries <= 3:
        raise bad_request("retries must be 0 to 3")
    state = get_state()
    with state.lock:
        mapping = {"subscribe_msg_popup_event": _POPUP, "subscribe_msg_change_event": _CHANGE}.get(event, {})
        for item in items:
            status = mapping.get(str(item.get("SubscribeStatusString", "")))
            if status:
                apply_consent(state, openid, item["TemplateId"], status)
        now = int(state.now()) if at is None else at
    message = build_event(to_user, openid, event, items, now)
    params, payload = signed_request(token, aes_key, appid, safe_mode, message, now)
    try:
        status_code, text = post(url, params, payload)
        again = [post(url, *signed_request(token, aes_key, appid, safe_mode, message, now + 5 * (n + 1)))
                 for n in range(retries)]
    except Exception as error:  # the target being down is a result to report, not our crash
        raise DevApiError(502, "push_failed", f"{type(error).__name__}: {error}") from error
    return jsonify({"status": status_code, "body": text, "message": message,
                    "request": {"query": params, "body": payload.decode()},
                    "retries": [{"status": status, "body": answer} for status, answer in again]})
