"""Binding a phone: the phone-button code and legacy encryptedData + iv."""


def test_legacy_encrypted_phone_from_the_emulator_binds(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    data = emulator.encrypted_phone(wx_user["openid"])
    response = client.put("/api/v1/me/phone", headers=session["headers"], json=data)
    assert response.status_code == 200, response.json
    assert response.json == {"phone": "138****8000", "level": 1}


def test_legacy_data_with_another_apps_watermark_is_refused(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    data = emulator.encrypted_phone(wx_user["openid"], appid="wx0ther0app000000")
    response = client.put("/api/v1/me/phone", headers=session["headers"], json=data)
    assert response.status_code == 400
    assert response.json["code"] == "phone_watermark_mismatch"
    assert client.get("/api/v1/me", headers=session["headers"]).json["level"] == 0


def test_legacy_data_under_an_old_session_key_is_a_clean_error(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    stale = emulator.encrypted_phone(wx_user["openid"])
    login(wx_user["openid"])  # a new login rotates the session_key; ours is now the new one
    response = client.put("/api/v1/me/phone", headers=session["headers"], json=stale)
    assert response.status_code == 400
    assert response.json["code"] in {"phone_decrypt_failed", "phone_watermark_mismatch"}


def test_garbage_encrypted_data_is_a_clean_error(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    response = client.put("/api/v1/me/phone", headers=session["headers"],
                          json={"encryptedData": "bm90IGRhdGE=", "iv": "MTIzNDU2Nzg5MDEyMzQ1Ng=="})
    assert response.status_code == 400
    assert response.json["code"] == "phone_decrypt_failed"


def test_a_used_phone_code_is_refused(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    code = emulator.phone_code(wx_user["openid"])
    assert client.put("/api/v1/me/phone", headers=session["headers"], json={"code": code}).status_code == 200
    again = client.put("/api/v1/me/phone", headers=session["headers"], json={"code": code})
    assert again.status_code == 400
    assert again.json["code"] == "phone_code_invalid"


def test_a_phone_bound_to_another_account_is_refused_with_its_own_code(client, emulator, login):
    # Two WeChat accounts with one phone (a recycled number): the second is named by its own openid,
    # since the emulator otherwise gives the same phone the same openid.
    first = emulator.create_user(phone="13912345678")
    second = emulator.create_user(openid="o" + "s" * 27, phone="13912345678")
    assert second["openid"] != first["openid"]
    one, two = login(first["openid"]), login(second["openid"])
    ok = client.put("/api/v1/me/phone", headers=one["headers"], json={"code": emulator.phone_code(first["openid"])})
    assert ok.status_code == 200
    taken = client.put("/api/v1/me/phone", headers=two["headers"],
                       json={"code": emulator.phone_code(second["openid"])})
    assert taken.status_code == 409
    assert taken.json["code"] == "phone_bound_to_other_account"
    assert "13912345678" not in taken.get_data(as_text=True)


def test_phone_body_needs_exactly_one_way(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    response = client.put("/api/v1/me/phone", headers=session["headers"], json={})
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"
