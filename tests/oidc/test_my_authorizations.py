"""我的授权: the resident's consents listed and revocable; revoking ends the client's tokens. The
registry: registered by an operator's command (the secret shown once), listed for admins only."""

from __future__ import annotations

import requests

from app.identity.models import L3
from app.oidc.clients import find_client
from app.staff.models import ADMIN, SUPERVISOR
from tests.support.oidc import REDIRECT_URI, RelyingParty, department_app, login_through_yss
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue


def _refresh(rp: RelyingParty, refresh_token: str) -> requests.Response:
    client = rp.registered
    return requests.post(rp.metadata["token_endpoint"], auth=(client.client.client_id, client.client_secret),
                         data={"grant_type": "refresh_token", "refresh_token": refresh_token}, timeout=10)


def test_my_authorizations_list_the_consent_with_what_was_shared_and_when(api, client):
    resident = create_resident(level=L3)
    rp = RelyingParty(api, department_app())
    login_through_yss(api, rp, resident, ["name", "driving_licence_valid"])
    listed = client.get("/api/v1/me/authorizations", headers=resident.headers)
    assert listed.status_code == 200
    [consent] = listed.json
    assert consent["client_name"] == "广州交警" and consent["department"] == "广州市公安局交通警察支队"
    assert consent["claim_labels"] == ["姓名", "是否持有有效驾驶证"]
    assert consent["declined_labels"] == ["手机号码"]
    assert consent["granted_at"]
    other = create_resident(level=L3)
    assert client.get("/api/v1/me/authorizations", headers=other.headers).json == []


def test_refresh_tokens_rotate_and_a_spent_one_is_refused(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    token = login_through_yss(api, rp, create_resident(level=L3), ["name"])
    renewed = _refresh(rp, token["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["refresh_token"] != token["refresh_token"]
    assert _refresh(rp, token["refresh_token"]).json()["error"] == "invalid_grant"
    assert _refresh(rp, renewed.json()["refresh_token"]).status_code == 200


def test_revoking_a_consent_ends_the_clients_refresh_tokens_and_userinfo(api, client):
    resident = create_resident(level=L3)
    rp = RelyingParty(api, department_app(), scope="openid profile")
    token = login_through_yss(api, rp, resident, ["name"])
    revoked = client.delete(f"/api/v1/me/authorizations/{rp.registered.client.client_id}", headers=resident.headers)
    assert revoked.status_code == 204
    refused = _refresh(rp, token["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert rp.userinfo().status_code == 401
    assert client.get("/api/v1/me/authorizations", headers=resident.headers).json == []
    again = client.delete(f"/api/v1/me/authorizations/{rp.registered.client.client_id}", headers=resident.headers)
    assert again.status_code == 404 and again.json["code"] == "oidc_consent_not_found"


def test_a_client_revokes_its_own_token_and_with_it_the_access_token(api):
    rp = RelyingParty(api, department_app(), scope="openid profile")
    token = login_through_yss(api, rp, create_resident(level=L3), ["name"])
    other = RelyingParty(api, department_app(name="别的应用"), scope="openid profile")
    foreign = requests.post(rp.metadata["revocation_endpoint"], timeout=10,
                            auth=(other.registered.client.client_id, other.registered.client_secret),
                            data={"token": token["access_token"]})
    assert foreign.status_code == 400  # not its token: refused, and the token still works
    assert rp.userinfo().status_code == 200
    client = rp.registered
    response = requests.post(rp.metadata["revocation_endpoint"], timeout=10,
                             auth=(client.client.client_id, client.client_secret),
                             data={"token": token["refresh_token"], "token_type_hint": "refresh_token"})
    assert response.status_code == 200
    assert _refresh(rp, token["refresh_token"]).json()["error"] == "invalid_grant"
    assert rp.userinfo().status_code == 401  # RFC 7009 §2.1: the grant's access token goes too


def test_the_consent_api_needs_a_logged_in_resident(client):
    for method, url in (("GET", "/api/v1/me/oidc-requests/" + "x" * 24), ("POST", "/api/v1/me/oidc-requests/"
                        + "x" * 24 + "/approval"), ("POST", "/api/v1/me/oidc-requests/" + "x" * 24 + "/denial"),
                        ("GET", "/api/v1/me/authorizations"), ("DELETE", "/api/v1/me/authorizations/yss-x")):
        response = client.open(url, method=method, json={"claims": []})
        assert response.status_code == 401, (method, url)
    load_demo_catalogue()
    staff = create_staff_member(role=ADMIN)
    assert client.get("/api/v1/me/authorizations", headers=staff.headers).status_code == 401


def test_an_unknown_consent_request_is_not_found(client):
    resident = create_resident(level=L3)
    response = client.get("/api/v1/me/oidc-requests/" + "x" * 24, headers=resident.headers)
    assert response.status_code == 404 and response.json["code"] == "oidc_request_not_found"


def test_admins_see_the_registered_apps_and_nobody_else_does(client):
    load_demo_catalogue()
    registered = department_app(min_level=2)
    admin, supervisor, resident = create_staff_member(role=ADMIN), create_staff_member(role=SUPERVISOR), \
        create_resident(level=L3)
    listed = client.get("/api/v1/staff/oidc-clients", headers=admin.headers)
    assert listed.status_code == 200
    [row] = listed.json
    assert row["client_id"] == registered.client.client_id and row["redirect_uris"] == [REDIRECT_URI]
    assert row["min_level"] == 2 and {c["name"]: c["optional"] for c in row["claims"]}["name"] is False
    assert "secret" not in str(row)
    assert client.get("/api/v1/staff/oidc-clients", headers=supervisor.headers).status_code == 403
    assert client.get("/api/v1/staff/oidc-clients", headers=resident.headers).status_code == 401


def test_register_client_prints_the_secret_once_and_keeps_only_its_hash(app):
    result = app.test_cli_runner().invoke(args=[
        "oidc", "register-client", "--name", "广州医保", "--department", "广州市医疗保障局",
        "--redirect-uri", "https://yb.gz.gov.cn/yss/callback", "--claim", "name=核对参保人身份",
        "--optional-claim", "phone_number=办理结果短信通知", "--min-level", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    client_id, secret = lines[0].removeprefix("client_id: "), lines[2]
    registered = find_client(client_id)
    assert registered.name == "广州医保" and registered.min_level == 2 and not registered.public
    assert [(c.name, c.optional) for c in registered.claims] == [("name", False), ("phone_number", True)]
    from app.db import session
    from app.oidc.models import OidcClient
    row = session().query(OidcClient).filter_by(client_id=client_id).one()
    assert secret not in (row.secret_hash or "")


def test_register_client_refuses_unknown_claims_missing_purposes_and_plain_http(app):
    runner = app.test_cli_runner()
    base = ["oidc", "register-client", "--name", "某应用", "--department", "某局"]
    for extra in (["--redirect-uri", "https://a.gov.cn/cb", "--claim", "salary=想知道"],
                  ["--redirect-uri", "https://a.gov.cn/cb", "--claim", "name="],
                  ["--redirect-uri", "http://a.gov.cn/cb", "--claim", "name=核对"]):
        result = runner.invoke(args=base + extra)
        assert result.exit_code != 0, extra
