"""The demo resident 张三 after the README's curl journey: logs in from the page (a new tab, no
storage) as `make run` serves it, and again after `make run` is restarted, and reaches L3 and the
wallet; the ID card expiring in 60 days is in the inbox at once."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import requests

from tests.support.run_script import Running, free_port

ZHANG = {"name": "张三", "phone": "13800138000", "id_number": "440106199005170014"}


def readme_journey(api: str, emu: str, appid: str) -> dict:
    """The README's curl journey step by step (its HTTP calls, without curl and jq)."""
    http = requests.Session()

    def ok(response: requests.Response) -> dict:
        assert response.status_code < 300, response.text
        return response.json()

    openid = ok(http.post(f"{emu}/users", json={"appid": appid, **ZHANG}, timeout=30))["openid"]
    ok(http.post(f"{emu}/registry/persons", json={"name": "张三", "id_number": ZHANG["id_number"],
                                                  "status": "alive"}, timeout=30))
    code = ok(http.post(f"{emu}/users/{openid}/login-code", timeout=30))["code"]
    session = ok(http.post(f"{api}/auth/wechat-login", json={"code": code}, timeout=30))
    auth = {"Authorization": f"Bearer {session['access_token']}"}
    pcode = ok(http.post(f"{emu}/users/{openid}/phone-code", timeout=30))["code"]
    ok(http.put(f"{api}/me/phone", headers=auth, json={"code": pcode}, timeout=30))
    ok(http.put(f"{api}/me/real-name", headers=auth, json={"name": "张三", "id_number": ZHANG["id_number"]},
                timeout=30))
    vid = ok(http.post(f"{api}/me/face-verifications", headers=auth, timeout=30))["verify_id"]
    ok(http.post(f"{emu}/face/{vid}/run", json={"verify_ret": 10000}, timeout=30))
    ok(http.post(f"{api}/me/face-verifications/result", headers=auth, json={"verify_id": vid}, timeout=30))
    assert ok(http.get(f"{api}/me", headers=auth, timeout=30))["level"] == 3
    # The refresh the README shows: a new pair, and the new access token works.
    fresh = ok(http.post(f"{api}/auth/refresh", json={"refresh_token": session["refresh_token"]}, timeout=30))
    auth = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert ok(http.get(f"{api}/me", headers=auth, timeout=30))["level"] == 3
    return {"openid": openid, "auth": auth}


def wait_for_inbox(api: str, auth: dict, title: str, timeout: float = 120) -> None:
    """The worker writes the newcomer's reminders after the commit (a hang guard, not a timing)."""
    deadline = time.monotonic() + timeout
    while True:
        inbox = requests.get(f"{api}/me/notifications", headers=auth, timeout=30).json()
        if title in [n["title"] for n in inbox]:
            return
        assert time.monotonic() < deadline, inbox
        time.sleep(0.5)


def log_in_as_zhang(phone, stub: str, label: str) -> None:
    p = phone(label)  # a new browser context: an empty sessionStorage, like a new tab
    page = p.page
    page.goto(f"{stub}/app/")
    page.wait_for_selector("#login")
    assert page.input_value("#wx-phone") == ZHANG["phone"]  # the demo resident is the page's default
    page.click("#login")
    page.wait_for_selector(".grid")  # home: already L3, no verification steps
    assert "L3" in page.inner_text("#level-badge")
    assert not page.query_selector("[data-code='phone_bound_to_other_account']")
    p.shot("home")
    page.goto(f"{stub}/app/#/certs")
    page.wait_for_selector(".cert[data-type='resident_id_card']")
    assert "居民身份证" in page.inner_text("#view")
    p.shot("wallet")


def test_the_demo_resident_logs_in_after_the_curl_journey_and_after_a_restart(browser, phone):
    api_port, stub_port = free_port(), free_port()
    instance = Path("/tmp") / f"yss-demo-{api_port}"  # short: the embedded Redis socket lives there
    running = Running(instance, api_port, stub_port)
    try:
        running.wait_until_started()
        appid = requests.get(f"{running.stub}/shared/config.json", timeout=30).json()["appid"]
        journey = readme_journey(f"{running.api}/api/v1", f"{running.stub}/__emulator__", appid)
        wait_for_inbox(f"{running.api}/api/v1", journey["auth"], "身份证即将到期")
        log_in_as_zhang(phone, running.stub, "after-journey")
        assert running.stop() == 0

        running = Running(instance, api_port, stub_port)  # the same instance: `make run` again
        running.wait_until_started()
        log_in_as_zhang(phone, running.stub, "after-restart")
        users = requests.post(f"{running.stub}/__emulator__/users", json={"appid": appid, "phone": ZHANG["phone"]},
                              timeout=30).json()
        assert users["openid"] == journey["openid"]
    finally:
        running.stop()
        shutil.rmtree(instance, ignore_errors=True)
