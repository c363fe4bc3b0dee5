"""亮证 as SD-JWT: the holder's device receives the credential, builds presentations itself, and a
verifier checks them online (here) or offline with the JWKS and the status list."""

import json
import secrets
import zlib
from datetime import date, timedelta

import pytest

from app import clock
from app.certificates import sdjwt
from app.certificates.status_list import bit_of
from app.security.signing import b64url, b64url_decode
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.credentials import Device, receive
from tests.support.residents import create_resident, new_id_number


@pytest.fixture
def holder(client):
    resident = create_resident(name="张三", birth=date(1990, 5, 17))
    authority = full_authority()
    cert = issue_certificate(client, authority, resident.id_number, number="GD-ID-0001", holder_name="张三",
                             expires_on=date.today() + timedelta(days=3000), ethnicity="汉")
    cert_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    device = Device()
    credential = receive(client, resident.headers, cert_id, device)
    return {"resident": resident, "authority": authority, "cert": cert, "id": cert_id, "device": device,
            "credential": credential}


def verify(client, presentation, **challenge):
    return client.post("/api/v1/verify", json={"presentation": presentation, **challenge})


def jwt_part(token, index):
    return json.loads(b64url_decode(token.split(".")[index]))


def revoke(client, holder, status="revoked"):
    result = issue(client, holder["authority"], "certificate_status",
                   {"type": "resident_id_card", "number": holder["cert"]["number"], "status": status,
                    "reason": "证件挂失"})
    assert result["status"] == "accepted", result


def test_the_credential_is_an_sd_jwt_with_every_claim_a_salted_disclosure_bound_to_the_device(holder):
    credential = holder["credential"]
    issuer_jwt, *disclosures, last = credential["sd_jwt"].split("~")
    assert last == ""  # RFC 9901 §4: an SD-JWT without key binding ends with "~"
    header, payload = jwt_part(issuer_jwt, 0), jwt_part(issuer_jwt, 1)
    assert header["alg"] == "EdDSA" and header["typ"] == "dc+sd-jwt" and header["kid"]
    assert payload["cnf"]["jwk"] == holder["device"].jwk
    assert payload["vct"] == "yss:resident_id_card"
    assert payload["_sd_alg"] == "sha-256"
    assert sorted(payload["_sd"]) == sorted(sdjwt.digest(d) for d in disclosures)
    assert payload["status"]["status_list"]["uri"].endswith("/api/v1/status-lists/1")
    assert payload["status"]["status_list"]["idx"] == credential["status_index"]
    assert payload["exp"] - payload["iat"] == 30 * 86400
    decoded = {json.loads(b64url_decode(d))[1]: json.loads(b64url_decode(d)) for d in disclosures}
    assert decoded["name"][2] == "张三" and decoded["ethnicity"][2] == "汉"
    assert len(b64url_decode(decoded["name"][0])) == 16  # a 128-bit salt per claim
    for secret in ("张三", "GD-ID-0001", "1990-05-17", "name", "birth_date"):
        assert secret not in b64url_decode(issuer_jwt.split(".")[1]).decode()


def test_derived_claims_come_as_their_own_disclosures_including_the_catalogues(holder):
    credential = holder["credential"]
    assert set(credential["derived"]) == {"age_over_18", "age_over_60", "valid_on_date", "age_over_65"}
    values = {name: json.loads(b64url_decode(d))[2] for name, d in credential["disclosures"].items()}
    assert (values["age_over_18"], values["age_over_60"], values["age_over_65"]) == (True, False, False)
    assert values["valid_on_date"] == clock.today().isoformat()


def test_a_presentation_with_two_claims_verifies_online_with_exactly_those(client, holder):
    presentation = holder["device"].present(holder["credential"], ["name", "age_over_18"])
    response = verify(client, presentation)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["claims"] == {"name": "张三"} and body["derived"] == {"age_over_18": True}
    assert (body["mode"], body["status"], body["certificate_type_name"]) == ("counter", "valid", "居民身份证")
    log = client.get("/api/v1/me/access-log", headers=holder["resident"].headers).json
    assert [(e["actor"], e["data"]) for e in log] == [
        ("扫码核验方", ["电子证照：居民身份证", "是否年满18周岁", "姓名"])]
    assert log[0]["details"] == {"audience": "yss:counter"}


def test_a_verifiers_challenge_must_match_its_nonce_and_audience(client, holder):
    device, credential = holder["device"], holder["credential"]
    presentation = device.present(credential, ["name"], audience="verifier:a", nonce="n-123")
    assert verify(client, presentation, audience="verifier:b", nonce="n-123").json["code"] == \
        "presentation_challenge_mismatch"
    assert verify(client, presentation, audience="verifier:a", nonce="n-999").json["code"] == \
        "presentation_challenge_mismatch"
    assert verify(client, presentation).json["code"] == "presentation_challenge_mismatch"  # not a counter form
    ok = verify(client, presentation, audience="verifier:a", nonce="n-123")
    assert (ok.status_code, ok.json["mode"]) == (200, "challenge")


def test_the_same_presentation_is_accepted_once(client, holder):
    presentation = holder["device"].present(holder["credential"], ["name"])
    assert verify(client, presentation).status_code == 200
    again = verify(client, presentation)
    assert (again.status_code, again.json["code"]) == (409, "presentation_replayed")


def test_a_presentation_signed_by_another_device_key_is_refused(client, holder):
    thief = Device()
    presentation = thief.present(holder["credential"], ["name"])
    response = verify(client, presentation)
    assert (response.status_code, response.json["code"]) == (422, "key_binding_invalid")


def test_a_stale_counter_presentation_is_refused(client, holder):
    old = int(clock.now().timestamp()) - sdjwt.COUNTER_MAX_AGE - 1
    presentation = holder["device"].present(holder["credential"], ["name"], iat=old)
    assert verify(client, presentation).json["code"] == "presentation_stale"


@pytest.mark.parametrize("change", ["swap_disclosure", "add_disclosure", "edit_payload", "edit_kb", "drop_kb"])
def test_a_tampered_presentation_is_refused(client, holder, change):
    device, credential = holder["device"], holder["credential"]
    presentation = device.present(credential, ["name"])
    issuer_jwt, disclosure, kb = presentation.split("~")
    forged_name = b64url(json.dumps([b64url(secrets.token_bytes(16)), "name", "李四"]).encode())
    if change == "swap_disclosure":
        part = f"{issuer_jwt}~{forged_name}~"
        tampered = part + device.key_binding(part, audience=sdjwt.COUNTER_AUDIENCE, nonce="x1")
    elif change == "add_disclosure":
        tampered = f"{issuer_jwt}~{disclosure}~{credential['disclosures']['number']}~{kb}"  # sd_hash no longer fits
    elif change == "edit_payload":
        head, _body, sig = issuer_jwt.split(".")
        claims = jwt_part(issuer_jwt, 1) | {"exp": 4102444800}
        tampered = f"{head}.{b64url(json.dumps(claims).encode())}.{sig}~{disclosure}~{kb}"
    elif change == "edit_kb":
        head, _body, sig = kb.split(".")
        edited = b64url(json.dumps(jwt_part(kb, 1) | {"aud": "x"}).encode())
        tampered = f"{issuer_jwt}~{disclosure}~{head}.{edited}.{sig}"
    else:
        tampered = f"{issuer_jwt}~{disclosure}~"
    response = verify(client, tampered)
    expected = {"swap_disclosure": "presentation_signature_invalid", "add_disclosure": "key_binding_invalid",
                "edit_payload": "presentation_signature_invalid", "edit_kb": "key_binding_invalid",
                "drop_kb": "presentation_malformed"}[change]
    assert (response.status_code, response.json["code"]) == (422, expected)


@pytest.mark.parametrize("text", ["hello", "a.b.c~", "~~~", "e30.e30.AAAA~x", "!!!.???.***~a~b", "é~x"])
def test_a_malformed_presentation_is_refused_as_malformed(client, text):
    response = verify(client, text)
    assert (response.status_code, response.json["code"]) in {(422, "presentation_malformed"),
                                                             (422, "presentation_signature_invalid")}


def test_revoking_the_certificate_flips_its_bit_in_the_public_status_list_and_online_checks_refuse(client, holder):
    index = holder["credential"]["status_index"]
    listed = client.get("/api/v1/status-lists/1")
    assert listed.status_code == 200
    assert listed.headers["Content-Type"] == "application/statuslist+jwt"
    assert "public" in listed.headers["Cache-Control"] and "max-age=" in listed.headers["Cache-Control"]
    token = listed.get_data(as_text=True)
    assert jwt_part(token, 0)["typ"] == "statuslist+jwt"
    assert bit_of(jwt_part(token, 1)["status_list"]["lst"], index) == 0
    other = issue(client, full_authority(), "certificate_status", {
        "type": "resident_id_card", "number": holder["cert"]["number"], "status": "revoked", "reason": "冒用"})
    assert (other["status"], other["reason"]) == ("rejected", "record_owned_by_other_authority")
    token = client.get("/api/v1/status-lists/1").get_data(as_text=True)
    assert bit_of(jwt_part(token, 1)["status_list"]["lst"], index) == 0  # only the issuer revokes
    revoke(client, holder)
    token = client.get("/api/v1/status-lists/1").get_data(as_text=True)
    lst = jwt_part(token, 1)["status_list"]["lst"]
    assert bit_of(lst, index) == 1
    assert sum(bin(b).count("1") for b in zlib.decompress(b64url_decode(lst))) == 1
    response = verify(client, holder["device"].present(holder["credential"], ["name"]))
    assert (response.status_code, response.json["code"]) == (422, "certificate_revoked")
    again = client.post(f"/api/v1/me/certificates/{holder['id']}/credential", headers=holder["resident"].headers,
                        json={"device_key": holder["device"].jwk})
    assert (again.status_code, again.json["code"]) == (409, "certificate_not_showable")
    revoke(client, holder, status="valid")  # a mistaken revocation undone: the bit is cleared again
    token = client.get("/api/v1/status-lists/1").get_data(as_text=True)
    assert bit_of(jwt_part(token, 1)["status_list"]["lst"], index) == 0
    assert verify(client, holder["device"].present(holder["credential"], ["name"])).status_code == 200


def test_a_new_device_re_issues_and_the_old_devices_credential_stops_verifying(client, holder):
    phone = Device()
    fresh = receive(client, holder["resident"].headers, holder["id"], phone)
    assert fresh["device_key_thumbprint"] != holder["credential"]["device_key_thumbprint"]
    assert fresh["status_index"] != holder["credential"]["status_index"]
    old = verify(client, holder["device"].present(holder["credential"], ["name"]))
    assert (old.status_code, old.json["code"]) == (422, "credential_superseded")
    assert verify(client, phone.present(fresh, ["name"])).status_code == 200


def test_an_expired_credential_is_refused(client, holder):
    presentation = holder["device"].present(holder["credential"], ["name"])
    with clock.freeze(clock.now() + timedelta(days=31)):
        response = verify(client, presentation)
    assert response.json["code"] == "credential_expired"


def test_a_verifier_with_only_the_jwks_checks_a_presentation_offline(client, holder):
    jwks = json.loads(json.dumps(client.get("/api/v1/auth/jwks").json))
    presentation = holder["device"].present(holder["credential"], ["name", "age_over_18"], audience="v:1", nonce="n1")
    opened = sdjwt.verify_presentation(presentation, jwks, now=clock.now(), audience="v:1", nonce="n1")
    assert opened.claims == {"name": "张三", "age_over_18": True}
    with pytest.raises(sdjwt.PresentationSignatureInvalid):
        sdjwt.verify_presentation(presentation, {"keys": []}, now=clock.now(), audience="v:1", nonce="n1")


@pytest.mark.parametrize("jwk", [
    {"kty": "EC", "crv": "P-384", "x": "A" * 43, "y": "A" * 43},
    {"kty": "OKP", "crv": "Ed25519", "x": "A" * 43},
    {"kty": "EC", "crv": "P-256", "x": "A" * 43, "y": "A" * 43},  # not a point on the curve
])
def test_a_device_key_that_is_not_a_p256_public_key_is_refused(client, holder, jwk):
    response = client.post(f"/api/v1/me/certificates/{holder['id']}/credential",
                           headers=holder["resident"].headers, json={"device_key": jwk})
    assert response.status_code == 422
    assert response.json["code"] in {"device_key_invalid", "validation_error"}


def test_issuing_needs_face_verification_and_the_holders_own_certificate(client, holder):
    l2 = create_resident(level=2, id_number=new_id_number())
    path = f"/api/v1/me/certificates/{holder['id']}/credential"
    assert client.post(path, headers=l2.headers, json={"device_key": Device().jwk}).status_code == 403
    other = create_resident(id_number=new_id_number())
    theirs = client.post(path, headers=other.headers, json={"device_key": Device().jwk})
    missing = client.post(path.replace(str(holder["id"]), str(holder["id"] + 999)), headers=other.headers,
                          json={"device_key": Device().jwk})
    assert theirs.status_code == missing.status_code == 404
    assert client.post(path, json={"device_key": Device().jwk}).status_code == 401


def test_verification_is_rate_limited_per_address(client):
    from app.certificates.verification import VERIFY_LIMIT_PER_MINUTE

    codes = [verify(client, "x.y.z~a").status_code for _ in range(VERIFY_LIMIT_PER_MINUTE + 1)]
    assert codes[:-1] == [422] * VERIFY_LIMIT_PER_MINUTE
    assert codes[-1] == 429
