"""亮证: the holder shows chosen claims as a signed QR payload; anyone can verify it, online or offline."""

import base64
import json
from datetime import date, datetime, timedelta

import pytest

from app import clock
from app.certificates.payload import ShowExpired, ShowSignatureInvalid, verify_offline
from app.security.signing import b64url, b64url_decode, canonical_json
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.residents import create_resident, new_id_number


@pytest.fixture
def holder(client):
    resident = create_resident(name="张三", birth=date(1990, 5, 17))
    authority = full_authority()
    cert = issue_certificate(client, authority, resident.id_number, number="GD-ID-0001", holder_name="张三",
                             expires_on=date.today() + timedelta(days=3000), ethnicity="汉")
    cert_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    return {"resident": resident, "authority": authority, "cert": cert, "id": cert_id}


def show(client, holder, disclose=("name",), derived=("age_over_18",)):
    response = client.post(f"/api/v1/me/certificates/{holder['id']}/shows", headers=holder["resident"].headers,
                           json={"disclose": list(disclose), "derived": list(derived)})
    assert response.status_code == 201, response.json
    return response.json


def verify(client, payload):
    return client.post("/api/v1/verify", json={"payload": payload})


def test_a_shown_certificate_verifies_over_http_with_only_the_disclosed_claims(client, holder):
    shown = show(client, holder, disclose=["name", "expires_on"], derived=["age_over_18", "valid_on_date"])
    response = verify(client, shown["payload"])
    assert response.status_code == 200, response.json
    body = response.json
    assert body["claims"] == {"name": "张三", "expires_on": holder["cert"]["expires_on"]}
    assert body["derived"] == {"age_over_18": True, "valid_on_date": clock.today().isoformat()}
    assert (body["certificate_type"], body["certificate_type_name"], body["issuer"]) == (
        "resident_id_card", "居民身份证", "公安机关")
    assert body["status"] == "valid"


def test_the_show_comes_with_a_png_qr_code_and_expires_within_five_minutes(client, holder):
    shown = show(client, holder)
    assert base64.b64decode(shown["qr_png_base64"]).startswith(b"\x89PNG\r\n\x1a\n")
    lifetime = datetime.fromisoformat(shown["expires_at"]) - clock.now()
    assert timedelta(0) < lifetime <= timedelta(minutes=5)


def test_the_payload_holds_none_of_the_undisclosed_values_nor_their_salts(client, holder):
    shown = show(client, holder, disclose=["name"], derived=[])
    payload = shown["payload"]
    head, *disclosures = payload.split("~")
    _, body, _ = head.split(".")
    decoded = [b64url_decode(body).decode()] + [b64url_decode(d).decode() for d in disclosures]
    text = payload + "\n".join(decoded)
    for secret in (holder["cert"]["number"], holder["resident"].id_number, "1990-05-17", "19900517", "汉",
                   holder["cert"]["expires_on"], "male", "number", "birth_date", "ethnicity"):
        assert secret not in text
    assert len(disclosures) == 1
    _salt, name, value = json.loads(b64url_decode(disclosures[0]))
    assert (name, value) == ("name", "张三")
    assert "d" not in json.loads(b64url_decode(body))  # commitments are rebuilt from the disclosures


def test_the_payload_fits_in_1000_bytes_even_with_every_claim_disclosed(client, holder):
    claims = list(client.get(f"/api/v1/me/certificates/{holder['id']}", headers=holder["resident"].headers)
                  .json["claims"])
    shown = show(client, holder, disclose=claims, derived=["age_over_18", "valid_on_date"])
    assert len(shown["payload"].encode()) <= 1000
    assert verify(client, shown["payload"]).status_code == 200


def test_a_tampered_payload_fails_as_signature_invalid(client, holder):
    payload = show(client, holder, derived=[])["payload"]
    head, disclosure = payload.split("~")
    prefix, body, sig = head.split(".")
    claims = json.loads(b64url_decode(body))
    claims["exp"] += 3600
    forged_body = f"{prefix}.{b64url(canonical_json(claims))}.{sig}~{disclosure}"
    assert verify(client, forged_body).json["code"] == "show_signature_invalid"
    forged_claim = f"{head}~{b64url(json.dumps(['salt', 'name', '李四']).encode())}"
    assert verify(client, forged_claim).json["code"] == "show_signature_invalid"
    extra_claim = f"{payload}~{b64url(json.dumps(['salt', 'age_over_18', True]).encode())}"
    assert verify(client, extra_claim).json["code"] == "show_signature_invalid"
    assert verify(client, head).json["code"] == "show_signature_invalid"  # a disclosure dropped
    flipped = head[:-2] + ("A" if head[-2] != "A" else "B") + head[-1] + "~" + disclosure
    response = verify(client, flipped)
    assert response.status_code == 422
    assert response.json["code"] == "show_signature_invalid"


def test_an_expired_payload_fails_as_show_expired(client, holder):
    payload = show(client, holder)["payload"]
    with clock.freeze(clock.now() + timedelta(minutes=5, seconds=1)):
        response = verify(client, payload)
    assert response.status_code == 422
    assert response.json["code"] == "show_expired"


def test_a_certificate_revoked_after_the_show_fails_as_certificate_revoked(client, holder):
    payload = show(client, holder)["payload"]
    result = issue(client, holder["authority"], "certificate_status",
                   {"type": "resident_id_card", "number": holder["cert"]["number"], "status": "revoked",
                    "reason": "证件挂失"})
    assert result["status"] == "accepted"
    response = verify(client, payload)
    assert response.status_code == 422
    assert response.json["code"] == "certificate_revoked"
    listed = client.get(f"/api/v1/me/certificates/{holder['id']}", headers=holder["resident"].headers).json
    assert listed["status"] == "revoked"
    again = client.post(f"/api/v1/me/certificates/{holder['id']}/shows", headers=holder["resident"].headers,
                        json={"disclose": ["name"]})
    assert again.status_code == 409
    assert again.json["code"] == "certificate_not_showable"


def test_only_the_issuer_changes_a_status_and_a_mistaken_revocation_can_be_undone(client, holder):
    payload = show(client, holder)["payload"]
    status = {"type": "resident_id_card", "number": holder["cert"]["number"], "reason": "证件挂失"}
    other = issue(client, full_authority(), "certificate_status", {**status, "status": "revoked"})
    assert (other["status"], other["reason"]) == ("rejected", "record_owned_by_other_authority")
    assert verify(client, payload).status_code == 200
    issue(client, holder["authority"], "certificate_status", {**status, "status": "revoked"})
    assert verify(client, payload).json["code"] == "certificate_revoked"
    undone = issue(client, holder["authority"], "certificate_status",
                   {**status, "status": "valid", "reason": "挂失后找回"})
    assert undone["status"] == "accepted"
    assert verify(client, payload).status_code == 200
    mine = client.get(f"/api/v1/me/certificates/{holder['id']}", headers=holder["resident"].headers).json
    assert mine["status"] == "valid"


@pytest.mark.parametrize("payload", ["hello", "YSS1.e30.AAAA", "YSS2.a.b", "YSS1.!!!.???~x", "YSS1.not-json.AAAA",
                                     "YSS1." + "A" * 1200 + ".AAAA"])
def test_a_malformed_payload_fails_as_show_malformed(client, payload):
    response = verify(client, payload)
    assert (response.status_code, response.json["code"]) == (400, "show_malformed")


def test_a_verifier_with_only_the_jwks_can_check_a_payload_offline(client, holder):
    payload = show(client, holder, disclose=["name"], derived=["age_over_18"])["payload"]
    jwks = json.loads(json.dumps(client.get("/api/v1/auth/jwks").json))
    opened = verify_offline(payload, jwks, now=clock.now())
    assert opened.claims == {"name": "张三", "age_over_18": True}
    assert opened.certificate_type == "resident_id_card"
    with pytest.raises(ShowExpired):
        verify_offline(payload, jwks, now=clock.now() + timedelta(minutes=6))
    with pytest.raises(ShowSignatureInvalid):
        verify_offline(payload, {"keys": []}, now=clock.now())


def test_the_holder_lists_shows_with_their_verifications_and_the_read_in_the_access_log(client, holder):
    first = show(client, holder)
    second = show(client, holder, disclose=["name", "expires_on"], derived=[])
    assert verify(client, first["payload"]).status_code == 200
    with clock.freeze(clock.now() + timedelta(minutes=10)):
        assert verify(client, first["payload"]).json["code"] == "show_expired"
    response = client.get("/api/v1/me/shows", headers=holder["resident"].headers)
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    shows = response.json
    assert [s["id"] for s in shows] == [second["show_id"], first["show_id"]]
    assert shows[1]["disclosed"] == ["name"] and shows[1]["derived"] == ["age_over_18"]
    assert sorted(v["outcome"] for v in shows[1]["verifications"]) == ["ok", "show_expired"]
    assert shows[0]["verifications"] == []
    log = client.get("/api/v1/me/access-log", headers=holder["resident"].headers).json
    assert len(log) == 1
    assert log[0]["actor_type"] == "verifier"
    assert log[0]["actor"] == "扫码核验方"
    assert "certificate.resident_id_card" in log[0]["data"]
    assert log[0]["purpose"]


def test_verification_is_rate_limited_per_address(client):
    from app.certificates.verification import VERIFY_LIMIT_PER_MINUTE

    codes = [verify(client, "YSS1.x.y").status_code for _ in range(VERIFY_LIMIT_PER_MINUTE + 1)]
    assert codes[:-1] == [400] * VERIFY_LIMIT_PER_MINUTE
    assert codes[-1] == 429


def test_showing_needs_face_verification(client, holder):
    l2 = create_resident(level=2, id_number=new_id_number())
    response = client.post(f"/api/v1/me/certificates/{holder['id']}/shows", headers=l2.headers,
                           json={"disclose": ["name"]})
    assert response.status_code == 403


def test_unknown_claims_cannot_be_shown(client, holder):
    response = client.post(f"/api/v1/me/certificates/{holder['id']}/shows", headers=holder["resident"].headers,
                           json={"disclose": ["salary"]})
    assert (response.status_code, response.json["code"]) == (422, "show_claims_unknown")
