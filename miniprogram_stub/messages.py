"""Subscribe messages: consent credits per (openid, template), keyword value limits (47003),
the daily quota, and a record of every message sent."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response

from miniprogram_stub.wechat import _json, _token_check, err, ok, world

blp = Blueprint("wechat_messages", __name__)

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?$")
_TIME = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{1,2}:\d{2}$")
_AMOUNT = re.compile(r"^[¥$€£]?\d{1,10}(\.\d{1,2})?元?$")


def value_ok(kind: str, value: str, enum_values: list[str] | None) -> bool:
    """WeChat's per-keyword-type limits (shared/WECHAT.md)."""
    limits = {"thing": 20, "number": 32, "letter": 32, "character_string": 32, "symbol": 5,
              "phone_number": 17, "car_number": 8}
    if not isinstance(value, str) or value == "":
        return False
    if kind in limits:
        if len(value) > limits[kind]:
            return False
        if kind == "number":
            return bool(re.fullmatch(r"[\d.]+", value))
        if kind == "letter":
            return value.isascii() and value.isalpha()
        return True
    if kind == "phrase":
        return len(value) <= 5 and bool(_CJK.match(value))
    if kind == "name":
        return len(value) <= 10 if _CJK.match(value) else (len(value) <= 20 and value.isascii())
    if kind == "amount":
        return bool(_AMOUNT.match(value))
    if kind == "date":
        return bool(_DATE.match(value))
    if kind == "time":
        return bool(_TIME.match(value))
    if kind == "enum":
        return value in (enum_values or [])
    return len(value) <= 20


@blp.post("/cgi-bin/message/subscribe/send")
def send() -> Response:
    w, body = world(), _json()
    with w.lock:
        appid, error = _token_check()
        if error:
            return error
        openid, template_id = body.get("touser", ""), body.get("template_id", "")
        user = w.users.get(openid)
        if user is None or user.appid != appid:
            return err(40003, "invalid openid")
        template = w.templates.get(template_id)
        if template is None:
            return err(40037, "invalid template_id")
        page = body.get("page")
        if page and w.pages and not any(page.split("?")[0] == p for p in w.pages):
            return err(41030, "invalid page")
        data = body.get("data") or {}
        for keyword, kind in template.keywords.items():
            value = (data.get(keyword) or {}).get("value") if isinstance(data.get(keyword), dict) else None
            if not value_ok(kind, value, template.enum_values.get(keyword)):
                return err(47003, f"argument invalid! data.{keyword}.value invalid")
        consent = w.consents.get((openid, template_id))
        if consent is None or consent["status"] != "accept" or (
                template.kind == "one_time" and consent["credits"] <= 0):
            return err(43101, "user refuse to accept the msg")
        today = int(w.now()) // 86400
        if sum(1 for m in w.sent if int(m["at"]) // 86400 == today) >= w.quota_limit:
            return err(45009, "reach max api daily quota limit")
        if template.kind == "one_time":
            consent["credits"] -= 1
        msgid = 10_000_000 + len(w.sent) + 1
        w.sent.append({"msgid": msgid, "openid": openid, "template_id": template_id, "page": page,
                       "data": {k: v.get("value") for k, v in data.items() if isinstance(v, dict)},
                       "at": w.now()})
        return ok(msgid=msgid)


@blp.post("/cgi-bin/openapi/quota/get")
def quota() -> Response:
    w = world()
    with w.lock:
        _appid, error = _token_check()
        if error:
            return error
        if _json().get("cgi_path") != "/cgi-bin/message/subscribe/send":
            return err(76021, "cgi_path not found")
        today = int(w.now()) // 86400
        used = sum(1 for m in w.sent if int(m["at"]) // 86400 == today)
        return ok(quota={"daily_limit": w.quota_limit, "used": used, "remain": max(0, w.quota_limit - used)})


def record_consent(openid: str, template_id: str, status: str) -> dict[str, Any]:
    """What wx.requestSubscribeMessage's answer does to WeChat's own consent state."""
    w = world()
    with w.lock:
        consent = w.consents.setdefault((openid, template_id), {"status": status, "credits": 0})
        consent["status"] = status
        if status == "accept":
            consent["credits"] += 1
        return {"openid": openid, "template_id": template_id, **consent}
