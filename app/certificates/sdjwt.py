"""SD-JWT (RFC 9901) as yss issues and checks it: the format only, no database.

Issued (to the holder's device, once):   <issuer-signed JWT>~<disclosure>~<disclosure>~...~
Presented (built on the device, per showing):   <issuer-signed JWT>~<chosen disclosures>~<KB-JWT>

- The issuer-signed JWT: header ``{"alg":"EdDSA","kid":…,"typ":"dc+sd-jwt"}`` (yss's Ed25519 keys,
  the published JWKS); payload ``iss``, ``iat``, ``exp``, ``vct`` (``yss:<certificate type>``),
  ``cnf.jwk`` (the device's P-256 key), ``status.status_list`` ``{idx, uri}`` (IETF Token Status
  List) and ``_sd``: the sorted SHA-256 digests (no ``_sd_alg``: sha-256 is RFC 9901's default, and
  the QR is smaller without it) of every claim, each a disclosure
  ``b64url(json([salt, name, value]))`` with a 128-bit salt. No claim is in the payload in the clear.
- The KB-JWT: header ``{"alg":"ES256","typ":"kb+jwt"}`` signed by the device key; payload ``iat``,
  ``aud``, ``nonce`` and ``sd_hash`` (b64url SHA-256 of the presentation up to its last ``~``).
  A verifier's challenge is its ``aud`` and ``nonce``; a plain counter scan uses
  ``aud = COUNTER_AUDIENCE`` with a nonce the device picks, good for ``COUNTER_MAX_AGE`` and
  accepted once (the verifier remembers the nonces it has seen until they are stale).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from app.certificates.errors import (
    CredentialExpired,
    DeviceKeyInvalid,
    KeyBindingInvalid,
    PresentationChallengeMismatch,
    PresentationMalformed,
    PresentationSignatureInvalid,
    PresentationStale,
)
from app.security.signing import SigningKeyRing, b64url, b64url_decode, public_key_from_jwks

SD_JWT_TYP = "dc+sd-jwt"
KB_JWT_TYP = "kb+jwt"
COUNTER_AUDIENCE = "yss:counter"
CHALLENGE_MAX_AGE = 300  # seconds a KB-JWT over a verifier's nonce stays good
COUNTER_MAX_AGE = 120  # seconds a nonce-less (device-nonce) counter presentation stays good
CLOCK_SKEW = 60
MAX_PRESENTATION_BYTES = 8192
# Claim names a disclosure may not carry: they belong to the JWT itself (RFC 9901 §4.2.2).
_RESERVED = frozenset({"_sd", "_sd_alg", "...", "iss", "iat", "exp", "nbf", "cnf", "status", "vct", "sub"})


def _json_b64(value: Any) -> str:
    return b64url(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _decode_json(text: str) -> Any:
    try:
        return json.loads(b64url_decode(text))
    except (ValueError, UnicodeDecodeError):
        raise PresentationMalformed() from None


def digest(disclosure: str) -> str:
    return b64url(hashlib.sha256(disclosure.encode("ascii")).digest())


def make_disclosure(name: str, value: Any) -> str:
    return _json_b64([b64url(secrets.token_bytes(16)), name, value])


# --- the device key --------------------------------------------------------------------------

def device_public_key(jwk: Any) -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a JWK ``{"kty":"EC","crv":"P-256","x","y"}``, or DeviceKeyInvalid."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" \
            or not all(isinstance(jwk.get(k), str) and len(jwk[k]) == 43 for k in ("x", "y")):
        raise DeviceKeyInvalid()
    try:
        x, y = (int.from_bytes(b64url_decode(jwk[k]), "big") for k in ("x", "y"))
        return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except ValueError:  # not on the curve, or not base64url
        raise DeviceKeyInvalid() from None


def public_jwk(jwk: dict[str, Any]) -> dict[str, str]:
    """Only the members that name the key (a page may send more, e.g. ``key_ops``)."""
    return {"kty": "EC", "crv": "P-256", "x": jwk["x"], "y": jwk["y"]}


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no spaces."""
    members = json.dumps(public_jwk(jwk), sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode()).digest())


def _es256_valid(key: ec.EllipticCurvePublicKey, signing_input: bytes, signature: bytes) -> bool:
    if len(signature) != 64:  # JOSE ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4)
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


# --- issuing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedSdJwt:
    issuer_jwt: str
    disclosures: dict[str, str]  # claim name → disclosure

    @property
    def serialized(self) -> str:
        """RFC 9901 §4: the issuer-signed JWT and every disclosure, each followed by ``~``."""
        return "~".join([self.issuer_jwt, *self.disclosures.values()]) + "~"


def issue(ring: SigningKeyRing, *, issuer: str, vct: str, issued_at: int, expires_at: int,
          device_jwk: dict[str, Any], status_index: int, status_uri: str, claims: dict[str, Any]) -> IssuedSdJwt:
    disclosures = {name: make_disclosure(name, value) for name, value in claims.items()}
    payload = {"iss": issuer, "iat": issued_at, "exp": expires_at, "vct": vct,
               "cnf": {"jwk": public_jwk(device_jwk)},
               "status": {"status_list": {"idx": status_index, "uri": status_uri}},
               "_sd": sorted(digest(d) for d in disclosures.values())}
    return IssuedSdJwt(sign_jwt(ring, payload, SD_JWT_TYP), disclosures)


def sign_jwt(ring: SigningKeyRing, payload: dict[str, Any], typ: str) -> str:
    """A compact EdDSA JWS with yss's current key (the status list token uses it too)."""
    header = {"alg": "EdDSA", "kid": ring.signing_kid, "typ": typ}
    signing_input = f"{_json_b64(header)}.{_json_b64(payload)}"
    _, signature = ring.sign_bytes(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


# --- verifying a presentation ----------------------------------------------------------------

@dataclass(frozen=True)
class VerifiedPresentation:
    issuer: str
    vct: str
    issued_at: datetime
    expires_at: datetime
    status_index: int
    status_uri: str
    holder_thumbprint: str
    claims: dict[str, Any]
    audience: str
    nonce: str
    presented_at: datetime


def _split_jws(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise PresentationMalformed()
    header, payload = _decode_json(parts[0]), _decode_json(parts[1])
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise PresentationMalformed()
    try:
        signature = b64url_decode(parts[2])
    except ValueError:
        raise PresentationMalformed() from None
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**40:
        raise PresentationMalformed()
    return value


def _issuer_payload(issuer_jwt: str, jwks: dict[str, Any]) -> dict[str, Any]:
    header, payload, signing_input, signature = _split_jws(issuer_jwt)
    # The algorithm is pinned: the header never chooses it (RFC 8725 §3.1).
    if header.get("alg") != "EdDSA" or header.get("typ") != SD_JWT_TYP or not isinstance(header.get("kid"), str):
        raise PresentationSignatureInvalid()
    key = public_key_from_jwks(jwks, header["kid"])
    if key is None:
        raise PresentationSignatureInvalid()
    try:
        key.verify(signature, signing_input)
    except (InvalidSignature, ValueError):
        raise PresentationSignatureInvalid() from None
    return payload


def _disclosed_claims(payload: dict[str, Any], disclosures: list[str]) -> dict[str, Any]:
    digests = payload.get("_sd")
    if payload.get("_sd_alg", "sha-256") != "sha-256" or not isinstance(digests, list):
        raise PresentationMalformed()
    claims: dict[str, Any] = {}
    seen: set[str] = set()
    for disclosure in disclosures:
        hashed = digest(disclosure)
        if hashed not in digests:
            raise PresentationSignatureInvalid()  # a disclosure the issuer did not sign
        if hashed in seen:
            raise PresentationMalformed()
        seen.add(hashed)
        item = _decode_json(disclosure)
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and isinstance(item[1], str)) or item[1] in _RESERVED or item[1] in claims:
            raise PresentationMalformed()
        claims[item[1]] = item[2]
    return claims


def verify_presentation(presentation: str, jwks: dict[str, Any], *, now: datetime,
                        audience: str | None = None, nonce: str | None = None) -> VerifiedPresentation:
    """Signature, disclosures, expiry and key binding; the challenge when the verifier gave one
    (``audience`` and ``nonce``), else the counter form. Status and replay are the caller's."""
    if not isinstance(presentation, str) or not presentation.isascii() \
            or len(presentation) > MAX_PRESENTATION_BYTES or "~" not in presentation:
        raise PresentationMalformed()
    issuer_jwt, *disclosures, kb_jwt = presentation.split("~")
    if not issuer_jwt or not kb_jwt or any(not d for d in disclosures):
        raise PresentationMalformed()  # no KB-JWT: an SD-JWT without key binding is not accepted
    payload = _issuer_payload(issuer_jwt, jwks)
    expires_at, issued_at = _int(payload.get("exp")), _int(payload.get("iat"))
    cnf, status = payload.get("cnf"), payload.get("status")
    status_list = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(cnf, dict) or not isinstance(status_list, dict) or not isinstance(status_list.get("uri"), str) \
            or not isinstance(payload.get("iss"), str) or not isinstance(payload.get("vct"), str):
        raise PresentationMalformed()
    status_index = _int(status_list.get("idx"))
    try:
        holder_key = device_public_key(cnf.get("jwk"))
    except DeviceKeyInvalid:
        raise PresentationMalformed() from None
    claims = _disclosed_claims(payload, disclosures)
    if now.timestamp() >= expires_at:
        raise CredentialExpired()

    kb_header, kb, kb_input, kb_signature = _split_jws(kb_jwt)
    if kb_header.get("alg") != "ES256" or kb_header.get("typ") != KB_JWT_TYP \
            or not _es256_valid(holder_key, kb_input, kb_signature):
        raise KeyBindingInvalid()
    if kb.get("sd_hash") != digest(presentation[: presentation.rindex("~") + 1]):
        raise KeyBindingInvalid()  # the KB-JWT was made for other disclosures
    presented = _int(kb.get("iat"))
    if not isinstance(kb.get("aud"), str) or not isinstance(kb.get("nonce"), str) or not kb["nonce"]:
        raise PresentationMalformed()
    if audience is not None or nonce is not None:
        if kb["aud"] != audience or kb["nonce"] != nonce:
            raise PresentationChallengeMismatch()
        max_age = CHALLENGE_MAX_AGE
    else:
        if kb["aud"] != COUNTER_AUDIENCE:
            raise PresentationChallengeMismatch()
        max_age = COUNTER_MAX_AGE
    if not now.timestamp() - max_age <= presented <= now.timestamp() + CLOCK_SKEW:
        raise PresentationStale()
    return VerifiedPresentation(
        payload["iss"], payload["vct"], datetime.fromtimestamp(issued_at, UTC),
        datetime.fromtimestamp(expires_at, UTC), status_index, status_list["uri"],
        thumbprint(cnf["jwk"]), claims, kb["aud"], kb["nonce"], datetime.fromtimestamp(presented, UTC))
