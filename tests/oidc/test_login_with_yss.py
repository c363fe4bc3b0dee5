"""A department app logs a resident in with yss, driven by Authlib's OpenID Connect client: discovery,
authorization with PKCE, consent, token exchange, the ID token checked against the JWKS, userinfo."""

from __future__ import annotations

from datetime import date

import requests

from app.identity.models import L3
from app.oidc.subjects import pairwise_sub
from tests.support.certificates import full_authority, issue_certificate
from tests.support.oidc import (
    RelyingParty,
    approve,
    callback_params,
    consent_request_id,
    department_app,
    login_through_yss,
    start_authorization,
)
from tests.support.residents import create_resident


def test_a_department_app_receives_exactly_the_claims_the_resident_consented_to(api, client):
    resident = create_resident(level=L3, name="张三")
    issue_certificate(client, full_authority(), resident.id_number, type="driving_licence",
                      expires_on=date(2040, 1, 1))
    rp = RelyingParty(api, department_app())
    assert rp.metadata["issuer"] == api
    assert rp.metadata["code_challenge_methods_supported"] == ["S256"]
    assert rp.metadata["subject_types_supported"] == ["pairwise"]

    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    asked = requests.get(f"{api}/api/v1/me/oidc-requests/{request_id}", headers=resident.headers, timeout=10).json()
    assert asked["client_name"] == "广州交警" and asked["department"] == "广州市公安局交通警察支队"
    assert [(c["name"], c["optional"]) for c in asked["claims"]] == [
        ("name", False), ("phone_number", True), ("driving_licence_valid", True)]
    assert {c["name"]: c["purpose"] for c in asked["claims"]}["driving_licence_valid"] == "确认可以办理车辆业务"
    assert asked["level_met"] is True

    approved = approve(api, resident, request_id, ["name", "driving_licence_valid"])
    assert approved.status_code == 200, approved.text
    back = callback_params(approved.json()["redirect_to"])
    assert back["state"] == rp.state
    token = rp.fetch_token(approved.json()["redirect_to"])
    assert token["token_type"] == "Bearer" and token["refresh_token"]
    assert set(token["scope"].split()) == {"openid", "profile", "certificates"}  # the declined phone scope is gone

    id_token = rp.validated_id_token(token)
    assert id_token["acr"] == "yss:L3"
    assert isinstance(id_token["auth_time"], int)
    assert id_token["sub"] == pairwise_sub(resident.account_id, rp.registered.client.client_id)

    info = rp.userinfo()
    assert info.status_code == 200, info.text
    body = info.json()
    assert body["sub"] == id_token["sub"]
    released = set(body) - {"sub", "yss_claim_sources"}
    assert released == {"name", "driving_licence_valid"}
    assert body["name"] == "张三" and body["driving_licence_valid"] is True
    assert body["yss_claim_sources"] == {"name": "公安机关（人口信息库）",
                                         "driving_licence_valid": "公安机关交通管理部门"}


def test_a_public_client_logs_in_with_pkce_alone(api):
    resident = create_resident(level=L3)
    rp = RelyingParty(api, department_app(public=True), scope="openid profile")
    token = login_through_yss(api, rp, resident, ["name"])
    rp.validated_id_token(token)
    assert rp.userinfo().json()["name"] == resident.name


def test_two_clients_see_different_stable_subjects_for_the_same_resident(api):
    resident = create_resident(level=L3)
    first, second = department_app(), department_app(name="广州医保", department="广州市医疗保障局")
    subs = []
    for registered in (first, second, first):
        rp = RelyingParty(api, registered, scope="openid profile")
        subs.append(rp.validated_id_token(login_through_yss(api, rp, resident, ["name"]))["sub"])
    assert subs[0] != subs[1]
    assert subs[0] == subs[2]  # stable for one client
    assert str(resident.account_id) not in subs


def test_every_release_of_claims_is_in_the_residents_data_tracker(api, client):
    resident = create_resident(level=L3)
    rp = RelyingParty(api, department_app())
    login_through_yss(api, rp, resident, ["name", "phone_number"])
    assert rp.userinfo().status_code == 200
    assert rp.userinfo().status_code == 200
    log = client.get("/api/v1/me/access-log", headers=resident.headers).json
    releases = [e for e in log if e["actor_type"] == "relying_party"]
    assert len(releases) == 2
    assert releases[0]["actor"] == "广州交警"
    assert releases[0]["data"] == ["姓名", "手机号码"]
    assert releases[0]["purpose"] == "核对办理人身份；办理进度短信通知"
    assert releases[0]["details"]["client_id"] == rp.registered.client.client_id


def test_the_id_number_leaves_only_with_consent_to_a_client_allowed_it(api):
    resident = create_resident(level=L3)
    allowed = department_app(optional_claims={"id_number": "在交警系统中查找您的驾驶证档案"})
    rp = RelyingParty(api, allowed, scope="openid profile id_number")
    login_through_yss(api, rp, resident, ["name"])
    assert "id_number" not in rp.userinfo().json()
    rp = RelyingParty(api, allowed, scope="openid profile id_number")
    login_through_yss(api, rp, resident, ["name", "id_number"])
    assert rp.userinfo().json()["id_number"] == resident.id_number


def test_client_secret_post_and_userinfo_by_post_work_as_discovery_says(api):
    resident = create_resident(level=L3)
    registered = department_app()
    rp = RelyingParty(api, registered, scope="openid profile")
    request_id = consent_request_id(start_authorization(rp.authorization_url()))
    callback = approve(api, resident, request_id, ["name"]).json()["redirect_to"]
    token = requests.post(rp.metadata["token_endpoint"], timeout=10, data={
        "grant_type": "authorization_code", "code": callback_params(callback)["code"],
        "redirect_uri": callback.split("?")[0], "code_verifier": rp.verifier,
        "client_id": registered.client.client_id, "client_secret": registered.client_secret})
    assert token.status_code == 200, token.text
    assert token.headers["Cache-Control"] == "no-store"
    info = requests.post(rp.metadata["userinfo_endpoint"], timeout=10,
                         headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert info.status_code == 200 and info.json()["name"] == resident.name
