"""push-event: WeChat-style signed (and in safe mode encrypted) JSON pushes to a receiving app."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import Flask, request

from tests.support.live_server import start_server

from .client import APPID, Emulator

TOKEN = "push-token-123"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")  # 43 characters


def _sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _decrypt(encrypted: str) -> tuple[dict[str, Any], str]:
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    pad = plain[-1]
    assert 1 <= pad <= 32 and len(plain) % 32 == 0
    plain = plain[:-pad]
    (length,) = struct.unpack(">I", plain[16:20])
    return json.loads(plain[20 : 20 + length]), plain[20 + length :].decode()


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A tiny stand-in for yss's push endpoint that checks signatures and records messages."""
    received: list[dict[str, Any]] = []
    app = Flask("receiver")

    @app.post("/wechat/push")
    def push() -> tuple[str, int]:
        args = request.args
        if args["signature"] != _sha1(TOKEN, args["timestamp"], args["nonce"]):
            return "bad signature", 403
        body = json.loads(request.get_data())
        record: dict[str, Any] = {"args": dict(args), "raw": body}
        if args.get("encrypt_type") == "aes":
            if args["msg_signature"] != _sha1(TOKEN, args["timestamp"], args["nonce"], body["Encrypt"]):
                return "bad msg_signature", 403
            record["message"], record["appid"] = _decrypt(body["Encrypt"])
        else:
            record["message"] = body
        received.append(record)
        return "success", 200

    base_url, stop = start_server(app)
    yield f"{base_url}/wechat/push", received
    stop()


def _push(emulator: Emulator, url: str, safe_mode: bool, event: str, openid: str, items: list, **more) -> dict:
    body = {**more,
        "url": url,
        "token": TOKEN,
        "encoding_aes_key": AES_KEY,
        "appid": APPID,
        "safe_mode": safe_mode,
        "event": event,
        "openid": openid,
        "items": items,
    }
    return emulator.ok("POST", "/push-event", body)


def test_plain_popup_event_with_one_item_sends_an_object(emulator: Emulator, receiver: tuple) -> None:
    url, received = receiver
    emulator.ok("POST", "/templates", {"template_id": "T1", "keywords": {"thing1": "thing"}})
    openid = emulator.user()["openid"]
    items = [{"TemplateId": "T1", "SubscribeStatusString": "accept", "PopupScene": "0"}]
    result = _push(emulator, url, False, "subscribe_msg_popup_event", openid, items)
    assert result["status"] == 200 and result["body"] == "success"
    message = received[0]["message"]
    assert message["List"] == items[0]
    assert message["FromUserName"] == openid and message["MsgType"] == "event"
    assert message["Event"] == "subscribe_msg_popup_event"
    assert isinstance(message["CreateTime"], int)
    assert "encrypt_type" not in received[0]["args"]
    consents = emulator.ok("GET", "/consents", openid=openid)["consents"]
    assert consents[0]["credits"] == 1  # the popup accept is a consent in the emulator too


def test_safe_mode_encrypts_and_lists_several_items(emulator: Emulator, receiver: tuple) -> None:
    url, received = receiver
    openid = emulator.user()["openid"]
    items = [
        {"TemplateId": "T1", "MsgID": "1001", "ErrorCode": "0", "ErrorStatus": "success"},
        {"TemplateId": "T2", "MsgID": "1002", "ErrorCode": "10005", "ErrorStatus": "fail_user_refuse"},
    ]
    result = _push(emulator, url, True, "subscribe_msg_sent_event", openid, items)
    assert result["status"] == 200
    record = received[0]
    assert record["args"]["encrypt_type"] == "aes"
    assert set(record["raw"]) == {"ToUserName", "Encrypt"}
    assert record["appid"] == APPID
    assert record["message"]["List"] == items
    assert record["message"]["ToUserName"] == record["raw"]["ToUserName"]


def test_change_event_reject_bans_and_push_reports_failures(emulator: Emulator, receiver: tuple) -> None:
    url, _ = receiver
    emulator.ok(
        "POST", "/templates", {"template_id": "TL", "kind": "long_term", "keywords": {"thing1": "thing"}}
    )
    openid = emulator.user()["openid"]
    emulator.ok("POST", "/consents", {"openid": openid, "template_id": "TL", "status": "accept"})
    items = [{"TemplateId": "TL", "SubscribeStatusString": "reject"}]
    _push(emulator, url, False, "subscribe_msg_change_event", openid, items)
    assert emulator.ok("GET", "/consents", openid=openid)["consents"][0]["banned"] is True
    wrong_token = {"url": url, "token": "other", "appid": APPID, "event": "subscribe_msg_sent_event",
                   "encoding_aes_key": AES_KEY}
    rejected = emulator.ok("POST", "/push-event", {**wrong_token, "openid": openid, "items": items})
    assert rejected["status"] == 403


def test_pushes_are_in_safe_mode_unless_asked_and_say_what_was_sent(emulator: Emulator, receiver: tuple) -> None:
    url, received = receiver
    openid = emulator.user()["openid"]
    items = [{"TemplateId": "T1", "SubscribeStatusString": "accept"}]
    result = emulator.ok("POST", "/push-event", {"url": url, "token": TOKEN, "encoding_aes_key": AES_KEY,
                                                 "appid": APPID, "event": "subscribe_msg_popup_event",
                                                 "openid": openid, "items": items, "at": 1_760_000_000})
    assert received[0]["args"]["encrypt_type"] == "aes"
    assert result["request"]["query"] == received[0]["args"]
    assert json.loads(result["request"]["body"]) == received[0]["raw"]
    assert received[0]["args"]["timestamp"] == "1760000000" and received[0]["message"]["CreateTime"] == 1_760_000_000


def test_a_retry_is_the_same_message_signed_afresh(emulator: Emulator, receiver: tuple) -> None:
    url, received = receiver
    openid = emulator.user()["openid"]
    items = [{"TemplateId": "T1", "MsgID": "1001", "ErrorCode": 0, "ErrorStatus": "success"}]
    result = _push(emulator, url, True, "subscribe_msg_sent_event", openid, items, retries=2)
    assert [r["status"] for r in result["retries"]] == [200, 200]
    assert len(received) == 3
    assert [r["message"] for r in received] == [received[0]["message"]] * 3
    assert len({r["args"]["nonce"] for r in received}) == 3
