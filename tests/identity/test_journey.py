"""A resident goes from WeChat login to L3 over HTTP, with WeChat and the registry emulated
by a real HTTP server."""


def test_login_phone_real_name_face_reach_l3_and_me_shows_identity(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    assert session["new_account"] is True and session["level"] == 0
    headers = session["headers"]

    me = client.get("/api/v1/me", headers=headers).json
    assert me["level"] == 0 and me["phone"] is None

    phone = client.put("/api/v1/me/phone", headers=headers,
                       json={"code": emulator.phone_code(wx_user["openid"])})
    assert phone.status_code == 200, phone.json
    assert phone.json == {"phone": "138****8000", "level": 1}

    real = client.put("/api/v1/me/real-name", headers=headers,
                      json={"name": "张三", "id_number": wx_user["id_number"]})
    assert real.status_code == 200, real.json
    assert real.json == {"level": 2}
    me = client.get("/api/v1/me", headers=headers).json
    assert me["masked"] is True
    assert me["name"] == "*三"
    assert me["id_number"] == wx_user["id_number"][0] + "*" * 16 + wx_user["id_number"][-1]

    start = client.post("/api/v1/me/face-verifications", headers=headers)
    assert start.status_code == 201, start.json
    verify_id = start.json["verify_id"]
    emulator.run_face(verify_id, 10000)
    done = client.post("/api/v1/me/face-verifications/result", headers=headers, json={"verify_id": verify_id})
    assert done.status_code == 200, done.json
    assert done.json == {"level": 3}

    me = client.get("/api/v1/me", headers=headers).json
    assert me["level"] == 3 and me["masked"] is False
    assert me["id_number"] == wx_user["id_number"] and me["phone"] == "13800138000"
    assert me["l3_lapses_at"] is not None


def test_logging_in_again_finds_the_same_account(client, emulator, wx_user, login):
    first = login(wx_user["openid"])
    second = login(wx_user["openid"])
    assert second["account_id"] == first["account_id"]
    assert second["new_account"] is False


def test_an_invalid_login_code_is_refused(client, emulator):
    response = client.post("/api/v1/auth/wechat-login", json={"code": "not-a-code"})
    assert response.status_code == 400
    assert response.json["code"] == "login_code_invalid"


def test_a_used_login_code_is_refused(client, emulator, wx_user):
    code = emulator.login_code(wx_user["openid"])
    assert client.post("/api/v1/auth/wechat-login", json={"code": code}).status_code == 200
    again = client.post("/api/v1/auth/wechat-login", json={"code": code})
    assert again.status_code == 400
    assert again.json["code"] == "login_code_used"


def test_an_expired_login_code_is_refused(client, emulator, wx_user):
    code = emulator.login_code(wx_user["openid"])
    emulator.advance(301)
    response = client.post("/api/v1/auth/wechat-login", json={"code": code})
    assert response.status_code == 400
    assert response.json["code"] == "login_code_invalid"


def test_wechat_down_is_a_503_with_retry_after_and_creates_nothing(client, emulator, wx_user):
    from sqlalchemy import func, select

    from app.db import session
    from app.identity.models import Account

    emulator.fault("/sns/jscode2session", "http_500")
    response = client.post("/api/v1/auth/wechat-login", json={"code": emulator.login_code(wx_user["openid"])})
    assert response.status_code == 503
    assert response.json["code"] == "upstream_unavailable"
    assert int(response.headers["Retry-After"]) > 0
    assert session().scalar(select(func.count()).select_from(Account)) == 0


def test_wechat_busy_is_a_503_too(client, emulator, wx_user):
    emulator.fault("/sns/jscode2session", "busy")
    response = client.post("/api/v1/auth/wechat-login", json={"code": emulator.login_code(wx_user["openid"])})
    assert response.status_code == 503
    assert response.json["code"] == "upstream_unavailable"


def test_wechat_unreachable_is_a_503_and_nothing_half_written(client, emulator, wx_user, login, monkeypatch):
    session = login(wx_user["openid"])
    from app.integrations import wechat as wechat_module

    dead = wechat_module.WeChatClient("http://127.0.0.1:9", "wx", "secret")
    monkeypatch.setattr(wechat_module, "wechat", lambda: dead)
    import app.identity.phone as phone_module

    monkeypatch.setattr(phone_module, "wechat", lambda: dead)
    response = client.put("/api/v1/me/phone", headers=session["headers"], json={"code": "abc"})
    assert response.status_code == 503
    assert response.json["code"] == "upstream_unavailable"
    assert client.get("/api/v1/me", headers=session["headers"]).json["level"] == 0


def test_invalid_login_codes_from_one_address_stop_costing_upstream_calls(client, emulator, wx_user):
    before = emulator.calls("/sns/jscode2session")
    answers = [client.post("/api/v1/auth/wechat-login", json={"code": f"forged-{n}"},
                           environ_base={"REMOTE_ADDR": "203.0.113.50"}) for n in range(12)]
    assert [a.status_code for a in answers] == [400] * 10 + [429] * 2
    assert answers[-1].json["code"] == "wechat_login_rate_limited" and int(answers[-1].headers["Retry-After"]) > 0
    assert emulator.calls("/sns/jscode2session") - before == 10
    # Someone else, at another address, logs in as usual.
    code = emulator.login_code(wx_user["openid"])
    assert client.post("/api/v1/auth/wechat-login", json={"code": code},
                       environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code == 200
