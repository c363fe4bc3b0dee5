"""What yss refuses, as the specs say: RFC 6749 / 7636 / OpenID Connect Core errors back to a trusted
redirect URI, an error page (never a redirect) when the client or redirect URI cannot be trusted,
and invalid_grant at the token endpoint."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from app import clock
from app.identity.models import L1, L2, L3
from app.oidc.codes import LIFETIME_SECONDS
from tests.support.oidc import (
    REDIRECT_URI,
    RelyingParty,
    approve,
    callback_params,
    consent_request_id,
    department_app,
    login_through_yss,
    start_authorization,
)
from tests.support.residents import create_resident


def _error_back_at_the_app(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text[:300]
    return callback_params(response.headers["Location"])


def _authorize_url(rp: RelyingParty, drop: tuple[str, ...] = (), **overrides: str) -> str:
    url = rp.authorization_url()
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items() if k not in drop}
    return f"{rp.metadata['authorization_endpoint']}?{urlencode({**params, **overrides})}"


@pytest.mark.parametrize(("drop", "overrides", "error"), [
    (("code_challenge", "code_challenge_method"), {}, "invalid_request"),  # no PKCE
    (("code_challenge_method",), {}, "invalid_request"),  # defaults to plain
    ((), {"code_challenge_method": "plain"}, "invalid_request"),
    (("nonce",), {}, "invalid_request"),
    ((), {"scope": "openid profile id_number"}, "invalid_scope"),  # a claim the client is not registered for
    ((), {"scope": "profile"}, "invalid_scope"),  # not an OpenID request
    ((), {"response_type": "token"}, "unsupported_response_type"),
    (("response_type",), {}, "unsupported_response_type"),
])
def test_a_bad_request_from_a_trusted_client_goes_back_to_it_with_the_error(api, drop, overrides, error):
    rp = RelyingParty(api, department_app())
    back = _error_back_at_the_app(start_authorization(_authorize_url(rp, drop, **overrides)))
    assert back["error"] == error
    assert back["state"] == rp.state


def test_a_request_without_state_is_refused(api):
    rp = RelyingParty(api, department_app())
    back = _error_back_at_the_app(start_authorization(_authorize_url(rp, ("state",))))
    assert back["error"] == "invalid_request" and "state" in back["error_description"]


@pytest.mark.parametrize("overrides", [
    {"redirect_uri": "https://evil.example/callback"},
    {"redirect_uri": REDIRECT_URI + "/"},  # exact match only
    {"redirect_uri": REDIRECT_URI + "?x=1"},
    {"client_id": "yss-unknown"},
])
def test_an_untrusted_redirect_uri_or_unknown_client_gets_an_error_page_and_no_redirect(api, overrides):
    rp = RelyingParty(api, department_app())
    response = start_authorization(_authorize_url(rp, **overrides))
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert 'id="oidc-error"' in response.text and "无法使用粤省事登录" in response.text


def test_a_missing_redirect_uri_gets_an_error_page(api):
    rp = RelyingParty(api, department_app())
    response = start_authorization(_authorize_url(rp, ("redirect_uri",)))
    assert response.status_code == 400 and "Location" not in response.headers


def _approved_callback(api: str, rp: RelyingParty, resident, claims=("name",)) -> str:
    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    response = approve(api, resident, request_id, list(claims))
    assert response.status_code == 200, response.text
    return response.json()["redirect_to"]


def _exchange(rp: RelyingParty, callback: str, verifier: str | None = None) -> requests.Response:
    code = callback_params(callback)["code"]
    client = rp.registered
    return requests.post(rp.metadata["token_endpoint"], auth=(client.client.client_id, client.client_secret),
                         data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
                               "code_verifier": verifier or rp.verifier}, timeout=10)


def test_a_wrong_code_verifier_is_refused(api):
    rp = RelyingParty(api, department_app())
    response = _exchange(rp, _approved_callback(api, rp, create_resident(level=L3)), verifier="x" * 43)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_code_works_once_and_its_replay_revokes_what_it_gave(api):
    rp = RelyingParty(api, department_app())
    callback = _approved_callback(api, rp, create_resident(level=L3))
    first = _exchange(rp, callback)
    assert first.status_code == 200
    replay = _exchange(rp, callback)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    userinfo = requests.get(rp.metadata["userinfo_endpoint"], timeout=10,
                            headers={"Authorization": f"Bearer {first.json()['access_token']}"})
    assert userinfo.status_code == 401


def test_an_expired_code_is_refused(api):
    rp = RelyingParty(api, department_app())
    callback = _approved_callback(api, rp, create_resident(level=L3))
    with clock.freeze(clock.now() + timedelta(seconds=LIFETIME_SECONDS + 1)):
        response = _exchange(rp, callback)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_code_is_bound_to_its_client_and_redirect_uri(api):
    rp = RelyingParty(api, department_app())
    other = RelyingParty(api, department_app(name="别的应用"))
    callback = _approved_callback(api, rp, create_resident(level=L3))
    code = callback_params(callback)["code"]
    stolen = requests.post(rp.metadata["token_endpoint"], timeout=10,
                           auth=(other.registered.client.client_id, other.registered.client_secret),
                           data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
                                 "code_verifier": rp.verifier})
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


def test_a_confidential_client_must_authenticate(api):
    rp = RelyingParty(api, department_app())
    callback = _approved_callback(api, rp, create_resident(level=L3))
    response = requests.post(rp.metadata["token_endpoint"], timeout=10, data={
        "grant_type": "authorization_code", "code": callback_params(callback)["code"], "redirect_uri": REDIRECT_URI,
        "code_verifier": rp.verifier, "client_id": rp.registered.client.client_id})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_resident_below_the_clients_level_is_refused_until_they_reach_it(api):
    rp = RelyingParty(api, department_app(min_level=L3), scope="openid profile")
    resident = create_resident(level=L2)
    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    asked = requests.get(f"{api}/api/v1/me/oidc-requests/{request_id}", headers=resident.headers, timeout=10).json()
    assert (asked["required_level"], asked["current_level"], asked["level_met"]) == (3, 2, False)
    refused = approve(api, resident, request_id, ["name"])
    assert refused.status_code == 403 and refused.json()["code"] == "level_required"
    assert refused.json()["details"] == {"required_level": 3, "current_level": 2}
    # The request waits while the resident completes the missing step (here: declines instead).
    denied = requests.post(f"{api}/api/v1/me/oidc-requests/{request_id}/denial", headers=resident.headers, timeout=10)
    assert callback_params(denied.json()["redirect_to"])["error"] == "access_denied"


def test_acr_values_raise_the_level_a_client_requires(api):
    rp = RelyingParty(api, department_app(), scope="openid phone")
    resident = create_resident(level=L1)
    request_id = consent_request_id(start_authorization(rp.authorization_url(acr_values="yss:L3")))
    refused = approve(api, resident, request_id, [])
    assert refused.status_code == 403 and refused.json()["details"]["required_level"] == 3


def test_a_resident_reaching_the_level_is_returned_to_the_client_with_it_in_acr(api, client, emulator, wx_user,
                                                                                  login):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    session = login(wx_user["openid"])
    resident = type("R", (), {"headers": session["headers"]})
    request_id = consent_request_id(start_authorization(rp.authorization_url(acr_values="yss:L2")))
    assert approve(api, resident, request_id, ["name"]).status_code == 403
    # The missing steps, as the mini program takes the resident through them: phone, then real name.
    assert client.put("/api/v1/me/phone", headers=session["headers"],
                      json={"code": emulator.phone_code(wx_user["openid"])}).status_code == 200
    assert client.put("/api/v1/me/real-name", headers=session["headers"],
                      json={"name": wx_user["name"], "id_number": wx_user["id_number"]}).status_code == 200
    approved = approve(api, resident, request_id, ["name"])
    assert approved.status_code == 200
    token = rp.fetch_token(approved.json()["redirect_to"])
    assert rp.validated_id_token(token)["acr"] == "yss:L2"


def test_declining_a_required_claim_or_adding_one_not_asked_is_refused(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    resident = create_resident(level=L3)
    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    declined = approve(api, resident, request_id, [])
    assert declined.status_code == 422 and declined.json()["code"] == "oidc_required_claim_declined"
    stray = approve(api, resident, request_id, ["name", "id_number"])
    assert stray.status_code == 422 and stray.json()["code"] == "oidc_claim_not_requested"


def test_a_consent_request_is_answered_once(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    resident = create_resident(level=L3)
    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    assert approve(api, resident, request_id, ["name"]).status_code == 200
    again = approve(api, resident, request_id, ["name"])
    assert again.status_code == 404 and again.json()["code"] == "oidc_request_not_found"


def test_a_replayed_nonce_is_refused(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    login_through_yss(api, rp, create_resident(level=L3), ["name"])
    back = _error_back_at_the_app(start_authorization(rp.authorization_url()))  # same nonce again
    assert back["error"] == "invalid_request"


def test_userinfo_needs_a_live_access_token(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    for headers in ({}, {"Authorization": "Bearer nope"}):
        response = requests.get(rp.metadata["userinfo_endpoint"], headers=headers, timeout=10)
        assert response.status_code == 401 and "WWW-Authenticate" in response.headers
