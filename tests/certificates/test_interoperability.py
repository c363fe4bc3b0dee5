"""An independent SD-JWT implementation — the reference ``sd-jwt`` package (OpenWallet Foundation
Labs, built on jwcrypto) — verifies yss's presentations, and rejects a tampered one.

Where it lags RFC 9901 (its 0.10.4 follows the drafts up to -08): it checks neither ``exp`` nor the
KB-JWT's ``iat`` (its own TODO), nor the issuer JWT's ``typ``; it knows no status list; and it needs
both ``aud`` and ``nonce`` to check key binding at all; and it silently ignores a disclosure that no
digest references, where RFC 9901 §7.1 rejects the presentation. So here it checks what it can — the issuer's
signature, the disclosures against ``_sd``, the KB-JWT's signature, ``typ``, ``aud``, ``nonce`` and
``sd_hash`` — and yss's own verifier adds the rest (tests/certificates/test_credentials.py).
"""

import json
from datetime import date, timedelta

import pytest
from jwcrypto.jwk import JWK
from jwcrypto.jws import InvalidJWSSignature
from sd_jwt.verifier import SDJWTVerifier

from app import clock
from app.certificates.errors import PresentationSignatureInvalid
from app.certificates.sdjwt import verify_presentation
from app.security.signing import b64url, b64url_decode
from tests.support.certificates import full_authority, issue_certificate
from tests.support.credentials import Device, receive
from tests.support.residents import create_resident


@pytest.fixture
def shown(client):
    resident = create_resident(name="张三", birth=date(1990, 5, 17))
    issue_certificate(client, full_authority(), resident.id_number, holder_name="张三",
                      expires_on=date.today() + timedelta(days=3000))
    cert_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    device = Device()
    credential = receive(client, resident.headers, cert_id, device)
    jwks = client.get("/api/v1/auth/jwks").json
    presentation = device.present(credential, ["name", "age_over_18"], audience="https://verifier.example",
                                  nonce="XZOUco1u_gEPknxS78sWWg")
    return {"presentation": presentation, "jwks": jwks, "credential": credential, "device": device}


def reference_verify(presentation, jwks, audience="https://verifier.example", nonce="XZOUco1u_gEPknxS78sWWg"):
    def issuer_key(_issuer, header):
        return JWK(**next(k for k in jwks["keys"] if k["kid"] == header["kid"]))

    return SDJWTVerifier(presentation, issuer_key, expected_aud=audience, expected_nonce=nonce
                         ).get_verified_payload()


def test_the_reference_implementation_verifies_a_yss_presentation(shown):
    payload = reference_verify(shown["presentation"], shown["jwks"])
    assert payload["name"] == "张三" and payload["age_over_18"] is True
    disclosed = {k for k in payload if k not in {"iss", "iat", "exp", "vct", "cnf", "status"}}
    assert disclosed == {"name", "age_over_18"}
    assert payload["cnf"]["jwk"] == shown["device"].jwk


def test_the_reference_implementation_rejects_a_tampered_presentation(shown):
    issuer_jwt, name, age, kb = shown["presentation"].split("~")
    forged = json.loads(b64url_decode(name))
    forged[2] = "李四"
    forged_name = b64url(json.dumps(forged, ensure_ascii=False).encode())
    with pytest.raises(ValueError, match="Invalid digest in KB-JWT"):
        reference_verify(f"{issuer_jwt}~{forged_name}~{age}~{kb}", shown["jwks"])
    with pytest.raises(ValueError, match="Invalid nonce"):
        reference_verify(shown["presentation"], shown["jwks"], nonce="another-verifier")
    with pytest.raises(ValueError, match="Invalid audience"):
        reference_verify(shown["presentation"], shown["jwks"], audience="https://other.example")
    thief = Device().present(shown["credential"], ["name"], audience="https://verifier.example",
                             nonce="XZOUco1u_gEPknxS78sWWg")
    with pytest.raises(InvalidJWSSignature):
        reference_verify(thief, shown["jwks"])
    head, body, signature = issuer_jwt.split(".")
    edited = b64url(json.dumps(json.loads(b64url_decode(body)) | {"exp": 4102444800}).encode())
    with pytest.raises(InvalidJWSSignature):
        reference_verify(f"{head}.{edited}.{signature}~{name}~{age}~{kb}", shown["jwks"])


def test_where_the_reference_lags_a_disclosure_the_issuer_never_signed_is_dropped_silently_yss_refuses(shown):
    """RFC 9901 §7.1 step 3: a disclosure not referenced by a digest makes the presentation invalid.
    The reference package ignores it (it only looks up digests it finds); yss's verifier refuses it."""
    issuer_jwt, name, _age, _kb = shown["presentation"].split("~")
    stray = b64url(json.dumps(["c2FsdHNhbHRzYWx0c2FsdA", "degree", "博士"], ensure_ascii=False).encode())
    part = f"{issuer_jwt}~{name}~{stray}~"
    presentation = part + shown["device"].key_binding(part, audience="https://verifier.example",
                                                      nonce="XZOUco1u_gEPknxS78sWWg")
    assert "degree" not in reference_verify(presentation, shown["jwks"])
    with pytest.raises(PresentationSignatureInvalid):
        verify_presentation(presentation, shown["jwks"], now=clock.now(), audience="https://verifier.example",
                            nonce="XZOUco1u_gEPknxS78sWWg")
