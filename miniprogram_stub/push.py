"""Pushing subscribe-message events to a mini program server, as WeChat does.

JSON format: `{"ToUserName", "FromUserName": openid, "CreateTime": <number>, "MsgType": "event",
"Event", "List"}` where `List` is an object for one item and an array for several. The query
carries `signature, timestamp, nonce`; safe mode (安全模式, what a production mini program uses and
what this emulator sends unless told otherwise) adds `encrypt_type=aes&msg_signature=` and sends
`{"ToUserName", "Encrypt"}` instead. WeChat retries a push that got no `success` in time: the same
message (same `CreateTime`) again, signed afresh.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

import requests

from miniprogram_stub.crypto import encrypt_push_message, push_signature

EVENTS = ("subscribe_msg_popup_event", "subscribe_msg_change_event", "subscribe_msg_sent_event")
PUSH_TIMEOUT = 10


def original_id(appid: str) -> str:
    """A stable stand-in for the mini program's original id (gh_...), WeChat's ToUserName."""
    return "gh_" + hashlib.sha1(appid.encode()).hexdigest()[:12]


def build_event(to_user: str, openid: str, event: str, items: list[dict[str, Any]], now: int) -> dict:
    return {
        "ToUserName": to_user,
        "FromUserName": openid,
        "CreateTime": now,
        "MsgType": "event",
        "Event": event,
        "List": items[0] if len(items) == 1 else items,
    }


def signed_request(
    token: str,
    encoding_aes_key: str,
    appid: str,
    safe_mode: bool,
    message: dict[str, Any],
    now: int,
) -> tuple[dict[str, str], bytes]:
    """The query and body WeChat sends for ``message`` at ``now``, with a fresh nonce."""
    timestamp, nonce = str(now), str(secrets.randbelow(10**10))
    params = {"signature": push_signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    plain = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    if safe_mode:
        encrypted = encrypt_push_message(encoding_aes_key, appid, plain)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = push_signature(token, timestamp, nonce, encrypted)
        payload = json.dumps({"ToUserName": message["ToUserName"], "Encrypt": encrypted}).encode()
    else:
        payload = plain
    return params, payload


def post(url: str, params: dict[str, str], payload: bytes) -> tuple[int, str]:
    """POST one signed push; returns the receiver's (status, body text)."""
    response = requests.post(
        url, params=params, data=payload, headers={"Content-Type": "application/json"}, timeout=PUSH_TIMEOUT
    )
    return response.status_code, response.text
