"""The inbox over HTTP, consent reported by the client, and WeChat's pushed subscribe events."""

from __future__ import annotations

import json

from sqlalchemy import select

from app import clock
from app.db import session
from app.push.models import Consent
from app.push.notify import notify
from config import get_settings
from tests.push.conftest import push_event

NOTICE = "tmpl-notice-0004"


def _three(account_id: int) -> None:
    for n in range(3):
        notify([account_id], category="tickets", title=f"通知{n}", body="内容", page=None,
               why={"rule": {"id": "ticket_reply"}, "facts": {"ticket": n}}, dedupe_key=f"t{n}")


def test_my_inbox_is_paginated_newest_first_with_why_and_unread_count(person, client):
    me = person()
    _three(me.account_id)
    response = client.get("/api/v1/me/notifications?page=1&page_size=2", headers=me.headers)
    assert response.status_code == 200
    assert [n["title"] for n in response.json] == ["通知2", "通知1"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    assert response.json[0]["why"]["facts"] == {"ticket": 2} and response.json[0]["read"] is False
    assert client.get("/api/v1/me/notifications/unread-count", headers=me.headers).json == {"unread": 3}


def test_marking_read_one_and_all_and_nobody_else_can_touch_mine(person, client):
    me, other = person(), person()
    _three(me.account_id)
    first = client.get("/api/v1/me/notifications", headers=me.headers).json[0]["id"]
    assert client.post(f"/api/v1/me/notifications/{first}/read", headers=other.headers).status_code == 404
    marked = client.post(f"/api/v1/me/notifications/{first}/read", headers=me.headers)
    assert marked.status_code == 200 and marked.json["read"] is True
    assert client.get("/api/v1/me/notifications?unread=true", headers=me.headers).json[0]["id"] != first
    assert client.post("/api/v1/me/notifications/read-all", headers=me.headers).json == {"marked": 2, "unread": 0}
    assert client.get("/api/v1/me/notifications", headers=other.headers).json == []


def test_subscribe_results_from_the_client_add_credits_and_record_refusals(person, client):
    me = person()
    body = {"results": {NOTICE: "accept", "tmpl-service-reminder-0002": "reject"}}
    client.post("/api/v1/me/subscriptions", json=body, headers=me.headers)
    response = client.post("/api/v1/me/subscriptions", json={"results": {NOTICE: "accept"}}, headers=me.headers)
    by_template = {c["template_id"]: c for c in response.json}
    assert by_template[NOTICE]["credits"] == 2
    assert by_template["tmpl-service-reminder-0002"] == {**by_template["tmpl-service-reminder-0002"],
                                                        "status": "reject", "kind": "long_term", "credits": None}
    bad = client.post("/api/v1/me/subscriptions", json={"results": {"tmpl-nope": "accept"}}, headers=me.headers)
    assert bad.status_code == 422 and bad.json["code"] == "unknown_template"


def test_wechat_pushed_subscribe_events_update_consent(person, wechat, live_api):
    me = person()
    accepted = push_event(wechat, live_api, me.openid, "subscribe_msg_popup_event",
                          [{"TemplateId": NOTICE, "SubscribeStatusString": "accept"}])
    assert (accepted["status"], accepted["body"]) == (200, "success")
    push_event(wechat, live_api, me.openid, "subscribe_msg_popup_event",
               [{"TemplateId": NOTICE, "SubscribeStatusString": "accept"},
                {"TemplateId": "tmpl-service-reminder-0002", "SubscribeStatusString": "accept"}], safe_mode=True)
    session().rollback()  # a fresh snapshot: the push was committed by the server thread
    rows = {c.template_id: c for c in session().scalars(select(Consent))}
    assert rows[NOTICE].credits == 2 and rows["tmpl-service-reminder-0002"].status == "accept"
    changed = push_event(wechat, live_api, me.openid, "subscribe_msg_change_event",
                         [{"TemplateId": "tmpl-service-reminder-0002", "SubscribeStatusString": "reject"}])
    assert changed["body"] == "success", changed
    session().rollback()  # a fresh snapshot: the push was committed by the server thread
    assert session().scalar(select(Consent.status).where(Consent.template_id == "tmpl-service-reminder-0002")) == "ban"


def test_the_message_url_check_echoes_only_for_a_good_signature(client):
    from app.integrations.wechat_crypto import message_signature

    token = get_settings().wechat_message_token
    now = str(int(clock.now().timestamp()))
    good = {"timestamp": now, "nonce": "42", "echostr": "hello-echo"}
    response = client.get("/api/v1/wechat/messages", query_string={
        **good, "signature": message_signature(token, now, "42")})
    assert (response.status_code, response.text) == (200, "hello-echo")
    forged = client.get("/api/v1/wechat/messages", query_string={**good, "signature": "0" * 40})
    assert forged.status_code == 403 and forged.json["code"] == "wechat_signature_invalid"
    unsigned_post = client.post("/api/v1/wechat/messages?signature=x&timestamp=1&nonce=2", json={"MsgType": "event"})
    assert unsigned_post.status_code == 403


def test_the_templates_to_ask_for_show_my_answers_only_and_need_a_login(person, client):
    me, other = person(), person()
    client.post("/api/v1/me/subscriptions", json={"results": {NOTICE: "accept"}}, headers=me.headers)
    mine = {t["template_id"]: t for t in client.get("/api/v1/me/subscriptions/templates", headers=me.headers).json}
    theirs = {t["template_id"]: t for t in client.get("/api/v1/me/subscriptions/templates", headers=other.headers).json}
    assert mine.keys() == theirs.keys() and NOTICE in mine
    assert (mine[NOTICE]["status"], mine[NOTICE]["credits"]) == ("accept", 1)
    assert theirs[NOTICE]["status"] is None  # another resident's answer is not theirs to see
    assert all(t["title"] and not t["title"].isascii() for t in mine.values())  # titles in Chinese
    anonymous = client.get("/api/v1/me/subscriptions/templates")
    assert anonymous.status_code == 401 and anonymous.json["code"] == "unauthenticated"
