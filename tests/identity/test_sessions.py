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


def test_presenting_a_spent_refresh_token_revokes_the_whole_family(client):
    resident = create_resident(level=1)
    first = refresh(client, resident.tokens.refresh_token).json
    reused = refresh(client, resident.tokens.refresh_token)
    assert reused.status_code == 401
    assert reused.json["code"] == "refresh_token_reused"
    # Both the thief's and the owner's tokens of that family are dead now.
    assert refresh(client, first["refresh_token"]).json["code"] == "session_revoked"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {first['access_token']}"})
    assert me.status_code == 401 and me.json["code"] == "session_revoked"
    assert client.get("/api/v1/me", headers=resident.headers).status_code == 401


def test_two_concurrent_refreshes_cannot_both_win(app):
    resident = create_resident(level=1)
    results = []

    def spend():
        results.append(app.test_client().post("/api/v1/auth/refresh",
                                              json={"refresh_token": resident.tokens.refresh_token}).status_code)

    threads = [threading.Thread(target=spend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(200) <= 1
    assert all(code in (200, 401) for code in results)


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
