"""Face verification: only verify_ret 10000 passes; L3 lapses after its configured age."""

from datetime import timedelta

import pytest

from app import clock


@pytest.fixture
def l2(client, emulator, wx_user, login):
    session = login(wx_user["openid"])
    client.put("/api/v1/me/phone", headers=session["headers"], json={"code": emulator.phone_code(wx_user["openid"])})
    response = client.put("/api/v1/me/real-name", headers=session["headers"],
                          json={"name": wx_user["name"], "id_number": wx_user["id_number"]})
    assert response.status_code == 200
    return session


def face(client, emulator, session, verify_ret):
    verify_id = client.post("/api/v1/me/face-verifications", headers=session["headers"]).json["verify_id"]
    emulator.run_face(verify_id, verify_ret)
    return client.post("/api/v1/me/face-verifications/result", headers=session["headers"],
                       json={"verify_id": verify_id})


def test_a_face_mismatch_is_refused(client, emulator, l2):
    response = face(client, emulator, l2, 10004)
    assert response.status_code == 422
    assert response.json["code"] == "face_mismatch"
    assert response.json["details"]["verify_ret"] == 10004
    assert client.get("/api/v1/me", headers=l2["headers"]).json["level"] == 2


def test_a_user_who_cancels_is_told_so(client, emulator, l2):
    response = face(client, emulator, l2, 90003)
    assert response.status_code == 422
    assert response.json["code"] == "face_cancelled"


def test_a_verify_id_from_someone_else_is_unknown(client, emulator, l2, login):
    other = login(emulator.create_user()["openid"])
    verify_id = client.post("/api/v1/me/face-verifications", headers=l2["headers"]).json["verify_id"]
    response = client.post("/api/v1/me/face-verifications/result", headers=other["headers"],
                           json={"verify_id": verify_id})
    assert response.status_code == 403  # the other user is L0: face needs L2 first


def test_face_needs_real_name_first(client, emulator, login):
    session = login(emulator.create_user()["openid"])
    response = client.post("/api/v1/me/face-verifications", headers=session["headers"])
    assert response.status_code == 403
    assert response.json["details"]["required_level"] == 2


def test_l3_lapses_after_its_configured_age(client, emulator, l2):
    from app.db import session, transactional
    from app.identity.models import Account

    assert face(client, emulator, l2, 10000).json == {"level": 3}

    @transactional
    def face_verified_days_ago(days: float) -> None:
        session().get(Account, l2["account_id"]).face_verified_at = clock.now() - timedelta(days=days)

    face_verified_days_ago(29.9)
    assert client.get("/api/v1/me", headers=l2["headers"]).json["level"] == 3
    face_verified_days_ago(30.01)
    me = client.get("/api/v1/me", headers=l2["headers"]).json
    assert me["level"] == 2 and me["l3_lapses_at"] is None and me["masked"] is True
    # Verifying the face again restores L3.
    assert face(client, emulator, l2, 10000).json == {"level": 3}
