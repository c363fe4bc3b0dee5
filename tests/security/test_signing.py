import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.errors import Unauthenticated
from app.security.signing import SigningKeyRing, verify_with_jwks

# RFC 8032 §7.1 test 1 (also the key of RFC 8037 appendix A).
RFC_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_EMPTY_SIG = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
    "d25bf5f0595bbe24655141438e7a100b"
)
SEED_A, SEED_B = bytes(32), bytes([1]) * 32
AUD = "yss-app"


def _error_code(fn) -> str:
    with pytest.raises(Unauthenticated) as info:
        fn()
    assert info.value.status == 401
    return info.value.code


def test_a_signed_token_verifies_and_carries_the_claims_plus_iat_exp_aud_and_jti():
    ring = SigningKeyRing([("k1", SEED_A)])
    now = int(time.time())
    token = ring.sign({"sub": "42"}, ttl_seconds=900, audience=AUD, now=now)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": "k1", "typ": "JWT"}
    claims = ring.verify(token, audience=AUD)
    assert claims["sub"] == "42"
    assert (claims["iat"], claims["exp"], claims["aud"]) == (now, now + 900, AUD)
    assert claims["jti"]


def test_every_token_gets_its_own_jti_unless_the_caller_gives_one():
    ring = SigningKeyRing([("k1", SEED_A)])
    a, b = (ring.verify(ring.sign({}, ttl_seconds=60, audience=AUD), audience=AUD) for _ in range(2))
    assert a["jti"] != b["jti"]
    assert ring.verify(ring.sign({"jti": "r-1"}, ttl_seconds=60, audience=AUD), audience=AUD)["jti"] == "r-1"


def test_claims_that_sign_sets_itself_are_refused():
    ring = SigningKeyRing([("k1", SEED_A)])
    with pytest.raises(ValueError):
        ring.sign({"exp": 1}, ttl_seconds=60, audience=AUD)
    with pytest.raises(ValueError):
        ring.sign({}, ttl_seconds=0, audience=AUD)


def test_an_expired_token_is_refused_as_expired_unless_within_the_leeway():
    ring = SigningKeyRing([("k1", SEED_A)])
    token = ring.sign({}, ttl_seconds=60, audience=AUD, now=int(time.time()) - 100)
    assert _error_code(lambda: ring.verify(token, audience=AUD)) == "token_expired"
    assert ring.verify(token, audience=AUD, leeway=60)["aud"] == AUD


def test_a_token_for_another_audience_is_invalid():
    ring = SigningKeyRing([("k1", SEED_A)])
    token = ring.sign({}, ttl_seconds=60, audience="staff")
    assert _error_code(lambda: ring.verify(token, audience=AUD)) == "token_invalid"


def test_a_token_with_a_changed_payload_is_invalid():
    ring = SigningKeyRing([("k1", SEED_A)])
    header, _, sig = ring.sign({"sub": "1"}, ttl_seconds=60, audience=AUD).split(".")
    claims = jwt.decode(
        ring.sign({"sub": "2"}, ttl_seconds=60, audience=AUD), options={"verify_signature": False}
    )
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    assert (
        _error_code(lambda: ring.verify(f"{header}.{forged_payload}.{sig}", audience=AUD)) == "token_invalid"
    )


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "",
        jwt.encode({"aud": AUD}, key=None, algorithm="none", headers={"kid": "k1"}),
        jwt.encode(
            {"aud": AUD, "iat": 0, "exp": 2**40, "jti": "x"}, "k" * 32, "HS256", headers={"kid": "k1"}
        ),
    ],
)
def test_garbage_unsigned_and_hmac_tokens_are_invalid(token):
    ring = SigningKeyRing([("k1", SEED_A)])
    assert _error_code(lambda: ring.verify(token, audience=AUD)) == "token_invalid"


def test_a_token_from_an_unknown_or_missing_key_id_is_invalid():
    ring = SigningKeyRing([("k1", SEED_A)])
    stranger = SigningKeyRing([("k9", SEED_B)]).sign({}, ttl_seconds=60, audience=AUD)
    impostor = SigningKeyRing([("k1", SEED_B)]).sign({}, ttl_seconds=60, audience=AUD)
    no_kid = jwt.encode({"aud": AUD}, Ed25519PrivateKey.from_private_bytes(SEED_A), algorithm="EdDSA")
    for token in (stranger, impostor, no_kid):
        assert _error_code(lambda t=token: ring.verify(t, audience=AUD)) == "token_invalid"


def test_after_rotation_the_new_key_signs_and_tokens_of_the_old_key_still_verify():
    old = SigningKeyRing([("k1", SEED_A)])
    rotated = SigningKeyRing([("k2", SEED_B), ("k1", SEED_A)])
    old_token = old.sign({"sub": "1"}, ttl_seconds=60, audience=AUD)
    assert rotated.verify(old_token, audience=AUD)["sub"] == "1"
    assert jwt.get_unverified_header(rotated.sign({}, ttl_seconds=60, audience=AUD))["kid"] == "k2"


def test_the_jwks_publishes_every_public_key_in_rfc_8037_form():
    ring = SigningKeyRing([("k2", SEED_B), ("rfc", RFC_SEED)])
    keys = ring.jwks()["keys"]
    assert [k["kid"] for k in keys] == ["k2", "rfc"]
    assert keys[1] == {"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "kid": "rfc", "use": "sig", "alg": "EdDSA"}
    assert all("d" not in k for k in keys)


def test_a_token_verifies_offline_with_only_the_published_jwks():
    ring = SigningKeyRing([("k1", SEED_A)])
    published = json.loads(json.dumps(ring.jwks()))
    token = ring.sign({"cert": "c-1"}, ttl_seconds=60, audience="verifier")
    assert verify_with_jwks(token, published, "verifier")["cert"] == "c-1"
    other = SigningKeyRing([("k1", SEED_B)]).jwks()
    for jwks, aud in ((other, "verifier"), ({"keys": []}, "verifier"), ({}, "verifier"), (published, "app")):
        assert _error_code(lambda j=jwks, a=aud: verify_with_jwks(token, j, a)) == "token_invalid"
    expired = ring.sign({}, ttl_seconds=1, audience="verifier", now=int(time.time()) - 10)
    assert _error_code(lambda: verify_with_jwks(expired, published, "verifier")) == "token_expired"


def test_byte_signatures_match_the_rfc_8032_vector_and_verify_by_key_id():
    ring = SigningKeyRing([("rfc", RFC_SEED), ("k1", SEED_A)])
    assert ring.sign_bytes(b"") == ("rfc", RFC_EMPTY_SIG)
    kid, sig = ring.sign_bytes(b"qr payload")
    assert ring.verify_bytes(kid, b"qr payload", sig)
    assert not ring.verify_bytes(kid, b"qr payload!", sig)
    assert not ring.verify_bytes("k1", b"qr payload", sig)
    assert not ring.verify_bytes("nope", b"qr payload", sig)
    assert not ring.verify_bytes(kid, b"qr payload", b"short")


@pytest.mark.parametrize("keys", [[], [("k1", b"short")], [("k1", SEED_A), ("k1", SEED_B)], [("", SEED_A)]])
def test_a_bad_key_ring_is_refused_at_construction(keys):
    with pytest.raises(ValueError):
        SigningKeyRing(keys)
