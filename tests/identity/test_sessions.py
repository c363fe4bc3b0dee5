"""Sessions: rotation, reuse detection, logout, logout everywhere, JWKS."""

import threading

from tests.support.residents import create_resident


def refresh(client, token):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


def test_a_refresh_rotates_the_token_and_the_new_access_token_works(client):
    resident = create_resident(level=2)
    response = refresh(client, resident.tokens.refresh_token)
    assert response.status_code == 200
    body = response.json
    assert body["refresh_token"] != resident.tokens.refresh_token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json["level"] == 2


def _after_grace():
    from datetime import timedelta

    from app import clock
    from config import get_settings

    return clock.freeze(clock.now() + timedelta(seconds=get_settings().refresh_grace_seconds + 1))


def test_presenting_a_spent_refresh_token_after_the_grace_revokes_the_whole_family(client):
    resident = create_resident(level=1)
    first = refresh(client, resident.tokens.refresh_token).json
    with _after_grace():
        reused = refresh(client, resident.tokens.refresh_token)
    assert reused.status_code == 401
    assert reused.json["code"] == "refresh_token_reused"
    # Both the thief's and the owner's tokens of that family are dead now.
    assert refresh(client, first["refresh_token"]).json["code"] == "session_revoked"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {first['access_token']}"})
    assert me.status_code == 401 and me.json["code"] == "session_revoked"
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 401


def test_ten_parallel_refreshes_of_one_token_all_get_the_same_new_pair_and_stay_logged_in(app):
    resident = create_resident(level=1)
    results = []

    def spend():
        response = app.test_client().post("/api/v1/auth/refresh",
                                          json={"refresh_token": resident.tokens.refresh_token})
        results.append((response.status_code, response.json))

    threads = [threading.Thread(target=spend) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _ in results] == [200] * 10, results
    assert len({body["refresh_token"] for _, body in results}) == 1
    assert len({body["access_token"] for _, body in results}) == 1
    new = results[0][1]
    client = app.test_client()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['access_token']}"}).status_code == 200
    assert refresh(client, new["refresh_token"]).status_code == 200


def test_the_previous_token_again_within_the_grace_returns_the_same_pair_and_stores_no_token(client):
    from sqlalchemy import select

    from app.db import session
    from app.identity.models import RefreshToken

    resident = create_resident(level=1)
    first = refresh(client, resident.tokens.refresh_token).json
    again = refresh(client, resident.tokens.refresh_token)
    assert again.status_code == 200
    assert (again.json["refresh_token"], again.json["access_token"]) == (first["refresh_token"], first["access_token"])
    session().rollback()
    for row in session().scalars(select(RefreshToken)):
        stored = " ".join(str(getattr(row, c.key)) for c in RefreshToken.__table__.columns)
        assert first["refresh_token"] not in stored and first["access_token"] not in stored


def test_the_previous_token_within_the_grace_after_its_successor_was_spent_is_reuse(client):
    resident = create_resident(level=1)
    first = refresh(client, resident.tokens.refresh_token).json
    second = refresh(client, first["refresh_token"]).json
    stale = refresh(client, resident.tokens.refresh_token)
    assert stale.status_code == 401 and stale.json["code"] == "refresh_token_reused"
    assert refresh(client, second["refresh_token"]).json["code"] == "session_revoked"


def test_two_tokens_back_within_the_grace_is_reuse(client):
    resident = create_resident(level=1)
    first = refresh(client, resident.tokens.refresh_token).json
    refresh(client, first["refresh_token"])
    assert refresh(client, resident.tokens.refresh_token).json["code"] == "refresh_token_reused"


def test_an_unknown_refresh_token_is_refused(client):
    response = refresh(client, "x" * 43)
    assert response.status_code == 401
    assert response.json["code"] == "refresh_token_invalid"


def test_an_idle_expired_refresh_token_is_refused_without_revoking_the_family(client):
    from datetime import timedelta

    from app import clock

    resident = create_resident(level=1)
    with clock.freeze(clock.now() + timedelta(days=7, seconds=1)):
        expired = refresh(client, resident.tokens.refresh_token)
    assert expired.status_code == 401
    assert expired.json["code"] == "refresh_token_expired"
    # Not a reuse: the access token of the family still works.
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 200


def test_logout_ends_this_session_on_its_next_request_only(client):
    resident = create_resident(level=1)
    other_device = refresh(client, resident.tokens.refresh_token)  # same family, rotated
    from app.db import transactional
    from app.identity.accounts import get_account
    from app.identity.sessions import start_session

    @transactional
    def another_login():
        return start_session(get_account(resident.account_id))

    laptop = another_login()
    headers = {"Authorization": f"Bearer {other_device.json['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).json["code"] == "session_revoked"
    laptop_headers = {"Authorization": f"Bearer {laptop.access_token}"}
    assert client.get("/api/v1/me", headers=laptop_headers).status_code == 200


def test_logout_everywhere_ends_every_session(client):
    from app.db import transactional
    from app.identity.accounts import get_account
    from app.identity.sessions import start_session

    resident = create_resident(level=1)

    @transactional
    def another_login():
        return start_session(get_account(resident.account_id))

    tablet = another_login()
    response = client.post("/api/v1/auth/logout-all", headers=resident.headers)
    assert response.status_code == 200 and response.json == {"sessions_ended": 2}
    for token in (resident.tokens.access_token, tablet.access_token):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert refresh(client, tablet.refresh_token).status_code == 401


def test_missing_and_forged_tokens_are_401_unauthenticated(client):
    assert client.get("/api/v1/me").json["code"] == "unauthenticated"
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})
    assert forged.status_code == 401


def test_access_tokens_verify_with_the_published_jwks_alone(client):
    from app.security.signing import verify_with_jwks

    resident = create_resident(level=0)
    jwks = client.get("/api/v1/auth/jwks").json
    assert jwks["keys"][0]["kty"] == "OKP" and "d" not in jwks["keys"][0]
    claims = verify_with_jwks(resident.tokens.access_token, jwks, audience="yss:resident")
    assert claims["sub"] == str(resident.account_id) and claims["lvl"] == 0
