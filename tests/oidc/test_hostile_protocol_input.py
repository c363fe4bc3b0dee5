"""The protocol endpoints sit outside /api/v1, so the suite-wide hostile-input test does not reach
them: here every one gets hostile values in every parameter, and none answers with a 5xx."""

from __future__ import annotations

import base64

from tests.support.oidc import REDIRECT_URI, department_app

HOSTILE = ["", "字\x00'\";--" * 500, str(2**70), "-1", "%E5%AD%97", "a" * 5000, "null"]
TOKEN_FIELDS = ("grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret",
                "refresh_token", "scope")
AUTHORIZE_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
                    "code_challenge_method", "acr_values", "prompt")


def test_no_protocol_endpoint_answers_hostile_input_with_a_server_error(client):
    registered = department_app()
    basic = base64.b64encode(f"{registered.client.client_id}:{registered.client_secret}".encode()).decode()
    valid = {"response_type": "code", "client_id": registered.client.client_id, "redirect_uri": REDIRECT_URI,
             "scope": "openid profile", "state": "s", "nonce": "n", "code_challenge": "c" * 43,
             "code_challenge_method": "S256"}
    failures = []
    for value in HOSTILE:
        for field in AUTHORIZE_FIELDS:
            response = client.get("/oidc/authorize", query_string={**valid, field: value})
            failures += [f"authorize {field}={value[:20]!r} → {response.status_code}"] * (response.status_code >= 500)
        for grant in ("authorization_code", "refresh_token", value):
            for field in TOKEN_FIELDS:
                for headers in ({}, {"Authorization": f"Basic {basic}"}, {"Authorization": value[:200]}):
                    response = client.post("/oidc/token", data={"grant_type": grant, field: value}, headers=headers)
                    failures += [f"token {grant[:20]} {field}={value[:20]!r} → {response.status_code}"] * (
                        response.status_code >= 500)
        for headers in ({"Authorization": f"Bearer {value[:2000]}"}, {"Authorization": value[:200]}):
            response = client.get("/oidc/userinfo", headers=headers)
            failures += [f"userinfo {value[:20]!r} → {response.status_code}"] * (response.status_code >= 500)
        for data in ({"token": value}, {"token": value, "token_type_hint": value}, {"token_type_hint": value}):
            response = client.post("/oidc/revoke", data=data, headers={"Authorization": f"Basic {basic}"})
            failures += [f"revoke {data} → {response.status_code}"[:120]] * (response.status_code >= 500)
    assert not failures, "\n".join(failures[:30])
