"""Personal data never reaches the database in plaintext."""

from tests.support.tables import dump_every_table


def test_after_a_full_journey_no_table_holds_a_plaintext_name_id_number_or_phone(
    client, emulator, wx_user, login
):
    session = login(wx_user["openid"])
    headers = session["headers"]
    client.put("/api/v1/me/phone", headers=headers, json={"code": emulator.phone_code(wx_user["openid"])})
    assert client.put("/api/v1/me/real-name", headers=headers,
                      json={"name": wx_user["name"], "id_number": wx_user["id_number"]}).status_code == 200
    verify_id = client.post("/api/v1/me/face-verifications", headers=headers).json["verify_id"]
    emulator.run_face(verify_id, 10000)
    client.post("/api/v1/me/face-verifications/result", headers=headers, json={"verify_id": verify_id})
    assert client.get("/api/v1/me", headers=headers).json["level"] == 3

    dump = dump_every_table()
    assert "account" in dump or dump  # the tables are not empty
    for secret in (wx_user["name"], wx_user["id_number"], "13800138000", "138001", wx_user["id_number"][6:14]):
        assert secret not in dump, f"plaintext {secret!r} found in the database"
