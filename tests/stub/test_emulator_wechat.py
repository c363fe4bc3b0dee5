"""The emulator behaves as WeChat does (shared/WECHAT.md), over real HTTP."""

import base64

import pytest
import requests
from flask import Flask, request

from config import get_settings
from tests.support.live_server import start_server


@pytest.fixture
def wx(emulator):
    settings = get_settings()

    class Wx:
        base = emulator.base_url
        appid, secret = settings.wechat_appid, settings.wechat_secret

        def token(self):
            return requests.get(f"{self.base}/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret}).json()

        def call(self, path, token, body):
            return requests.post(f"{self.base}{path}", params={"access_token": token}, json=body).json()

    return Wx()


def test_a_new_token_supersedes_the_old_one_after_five_minutes(wx, emulator):
    old = wx.token()["access_token"]
    new = wx.token()["access_token"]
    body = {"code": "x"}
    assert wx.call("/wxa/business/getuserphonenumber", old, body)["errcode"] == 40029  # still valid
    emulator.advance(301)
    assert wx.call("/wxa/business/getuserphonenumber", old, body)["errcode"] == 40001
    assert wx.call("/wxa/business/getuserphonenumber", new, body)["errcode"] == 40029
    emulator.advance(7200)
    assert wx.call("/wxa/business/getuserphonenumber", new, body)["errcode"] == 42001
    assert wx.call("/wxa/business/getuserphonenumber", "garbage", body)["errcode"] == 40014
    assert requests.post(f"{wx.base}/wxa/business/getuserphonenumber", json=body).json()["errcode"] == 41001


def test_stable_token_returns_the_same_token_until_its_last_five_minutes(wx, emulator):
    def stable(force=False):
        return requests.post(f"{wx.base}/cgi-bin/stable_token", json={
            "grant_type": "client_credential", "appid": wx.appid, "secret": wx.secret,
            "force_refresh": force}).json()

    first = stable()["access_token"]
    assert stable()["access_token"] == first
    emulator.advance(7200 - 200)
    assert stable()["access_token"] != first
    assert stable(force=True)["access_token"]
    assert stable(force=True)["errcode"] == 45009  # forced refreshes are 30 s apart


def test_subscribe_send_validates_keywords_and_spends_one_time_credits(wx, emulator):
    user = emulator.create_user()
    emulator._post("/templates", {"template_id": "TPL1", "kind": "one_time",
                                  "keywords": {"thing1": "thing", "date2": "date", "phrase3": "phrase"}})
    token = wx.token()["access_token"]
    good = {"thing1": {"value": "居民身份证即将到期"}, "date2": {"value": "2026年12月1日"},
            "phrase3": {"value": "请换领"}}
    send = {"touser": user["openid"], "template_id": "TPL1", "data": good}
    assert wx.call("/cgi-bin/message/subscribe/send", token, send)["errcode"] == 43101  # no consent yet
    emulator._post("/consents", {"openid": user["openid"], "template_id": "TPL1", "status": "accept"})
    too_long = {**send, "data": {**good, "thing1": {"value": "一" * 21}}}
    answer = wx.call("/cgi-bin/message/subscribe/send", token, too_long)
    assert answer["errcode"] == 47003 and "data.thing1.value" in answer["errmsg"]
    bad_date = {**send, "data": {**good, "date2": {"value": "2026-12-01"}}}
    assert wx.call("/cgi-bin/message/subscribe/send", token, bad_date)["errcode"] == 47003
    assert wx.call("/cgi-bin/message/subscribe/send", token, send)["errcode"] == 0
    assert wx.call("/cgi-bin/message/subscribe/send", token, send)["errcode"] == 43101  # the credit is spent
    assert wx.call("/cgi-bin/message/subscribe/send", token, {**send, "touser": "nobody"})["errcode"] == 40003
    assert wx.call("/cgi-bin/message/subscribe/send", token, {**send, "template_id": "nope"})["errcode"] == 40037
    assert len(emulator._get("/sent", openid=user["openid"])) == 1


def test_faults_answer_busy_rate_limited_or_500_for_the_next_calls_only(wx, emulator):
    emulator.fault("/cgi-bin/token", "busy")
    emulator.fault("/cgi-bin/token", "rate_limit")
    emulator.fault("/cgi-bin/token", "http_500")
    assert wx.token()["errcode"] == -1
    assert wx.token()["errcode"] == 45011
    assert requests.get(f"{wx.base}/cgi-bin/token").status_code == 500
    assert "access_token" in wx.token()
    assert emulator.calls("/cgi-bin/token") == 4


def test_push_event_is_signed_and_in_safe_mode_encrypted_as_wechat_does(emulator, wx):
    from app.integrations.wechat_crypto import check_signature, decrypt_message

    received = []
    receiver = Flask(__name__)

    @receiver.post("/wechat")
    def wechat_endpoint():
        received.append((dict(request.args), request.get_json()))
        return "success"

    url, stop = start_server(receiver)
    key = base64.b64encode(b"k" * 32).decode()[:43]
    try:
        answer = emulator._post("/push-event", {
            "url": f"{url}/wechat", "token": "tok", "encoding_aes_key": key, "appid": wx.appid,
            "safe_mode": True, "event": "subscribe_msg_popup_event", "openid": "o-user",
            "items": [{"TemplateId": "TPL1", "SubscribeStatusString": "accept", "PopupScene": "0"}]})
    finally:
        stop()
    assert answer == {"status": 200, "body": "success"}
    args, body = received[0]
    check_signature(args["signature"], "tok", args["timestamp"], args["nonce"])
    check_signature(args["msg_signature"], "tok", args["timestamp"], args["nonce"], body["Encrypt"])
    import json

    message = json.loads(decrypt_message(key, body["Encrypt"], wx.appid))
    assert message["Event"] == "subscribe_msg_popup_event"
    assert message["List"]["TemplateId"] == "TPL1"  # one item: an object, not a list
