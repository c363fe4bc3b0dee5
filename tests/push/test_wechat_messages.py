"""WeChat's pushes to our message endpoint are taken once: fresh, in safe mode, each (timestamp,
nonce) once and each event once, however often WeChat retries it or anyone replays it."""

from __future__ import annotations

import json
from datetime import timedelta

import requests
from sqlalchemy import select

from app import clock
from app.db import session
from app.push.models import Consent
from config import get_settings
from tests.push.conftest import push_event

NOTICE = "tmpl-notice-0004"
POPUP = "subscribe_msg_popup_event"
ACCEPT = [{"TemplateId": NOTICE, "SubscribeStatusString": "accept"}]


def _credits(account_id: int) -> int | None:
    session().rollback()  # a fresh snapshot: pushes are committed by the server thread
    return session().scalar(select(Consent.credits).where(Consent.account_id == account_id,
                                                          Consent.template_id == NOTICE))


def _error(answer: dict) -> tuple[int, str]:
    return answer["status"], json.loads(answer["body"])["code"]


def test_a_push_older_than_five_minutes_is_refused_and_changes_nothing(person, wechat, live_api):
    me = person()
    now = int(clock.now().timestamp())
    assert _error(push_event(wechat, live_api, me.openid, POPUP, ACCEPT, at=now - 301)) == (
        403, "wechat_message_stale")
    assert _error(push_event(wechat, live_api, me.openid, POPUP, ACCEPT, at=1_580_000_000)) == (  # 2020
        403, "wechat_message_stale")
    assert _credits(me.account_id) is None
    assert push_event(wechat, live_api, me.openid, POPUP, ACCEPT, at=now - 290)["body"] == "success"
    assert _credits(me.account_id) == 1


def test_a_captured_push_replayed_is_refused_and_changes_nothing(person, wechat, live_api):
    me = person()
    first = push_event(wechat, live_api, me.openid, POPUP, ACCEPT)
    assert first["body"] == "success" and _credits(me.account_id) == 1
    captured = first["request"]
    for _ in range(3):
        replay = requests.post(f"{live_api}/api/v1/wechat/messages", params=captured["query"],
                               data=captured["body"].encode(), headers={"Content-Type": "application/json"},
                               timeout=10)
        assert (replay.status_code, replay.json()["code"]) == (403, "wechat_message_replayed")
    assert _credits(me.account_id) == 1


def test_wechat_retrying_one_event_applies_it_once(person, wechat, live_api):
    me = person()
    answer = push_event(wechat, live_api, me.openid, POPUP, ACCEPT, retries=3)
    assert answer["body"] == "success" and [r["body"] for r in answer["retries"]] == ["success"] * 3
    assert _credits(me.account_id) == 1
    # A new popup (a new CreateTime) is a new consent.
    with clock.freeze(clock.now() + timedelta(seconds=2)):
        assert push_event(wechat, live_api, me.openid, POPUP, ACCEPT)["body"] == "success"
    assert _credits(me.account_id) == 2


def test_plain_mode_is_refused_unless_the_development_setting_allows_it(person, wechat, live_api, monkeypatch):
    me = person()
    assert _error(push_event(wechat, live_api, me.openid, POPUP, ACCEPT, safe_mode=False)) == (
        403, "wechat_plain_mode_refused")
    assert _credits(me.account_id) is None
    monkeypatch.setattr(get_settings(), "wechat_plain_messages", True)
    assert push_event(wechat, live_api, me.openid, POPUP, ACCEPT, safe_mode=False)["body"] == "success"
    assert _credits(me.account_id) == 1


def test_the_url_check_needs_a_fresh_timestamp_and_a_new_nonce(client):
    from app.integrations.wechat_crypto import message_signature

    token = get_settings().wechat_message_token

    def check(timestamp: str, nonce: str):
        return client.get("/api/v1/wechat/messages", query_string={
            "timestamp": timestamp, "nonce": nonce, "echostr": "hello-echo",
            "signature": message_signature(token, timestamp, nonce)})

    now = str(int(clock.now().timestamp()))
    first = check(now, "42")
    assert (first.status_code, first.text) == (200, "hello-echo")
    again = check(now, "42")
    assert again.status_code == 403 and again.json["code"] == "wechat_message_replayed"
    stale = check("1760000000", "43")
    assert stale.status_code == 403 and stale.json["code"] == "wechat_message_stale"
