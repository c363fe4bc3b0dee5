"""The 亮证 QR payload: compact, Ed25519-signed, with salted commitments per claim (as SD-JWT does).

    YSS1.<b64url(body)>.<b64url(signature)>~<disclosure>~<disclosure>...

A disclosure is ``b64url(json([salt, name, value]))`` and its digest ``b64url(sha256(disclosure))``.
The signed body is canonical JSON: ``k`` key id, ``s`` show id, ``r`` opaque certificate reference,
``t`` certificate type, ``iat``/``exp`` (Unix seconds), ``n`` nonce, ``d`` the sorted digests of this
show's claims; the signature covers the ASCII text ``YSS1.<b64url(signed body)>``.

Only disclosed claims travel, so a claim the holder did not choose is neither in the payload nor
derivable from it. Because every digest in ``d`` is the hash of a disclosure that travels alongside,
the QR text carries the body *without* ``d`` (a detached part, as JWS allows): the verifier rebuilds
``d`` from the disclosures before checking the signature, so adding, dropping or altering a
disclosure breaks it. That halves the payload, keeping even a full disclosure under 1,000 bytes.

Anyone holding the published JWKS can check a payload with ``verify_offline``; nothing else needed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from app.certificates.errors import ShowExpired, ShowMalformed, ShowSignatureInvalid
from app.security.signing import SigningKeyRing, b64url, b64url_decode, canonical_json, public_key_from_jwks

PREFIX = "YSS1"
MAX_PAYLOAD_BYTES = 1000
_BODY_KEYS = {"k": str, "s": str, "r": str, "t": str, "iat": int, "exp": int, "n": str}


@dataclass(frozen=True)
class OpenedShow:
    kid: str
    show_id: str
    reference: str
    certificate_type: str
    issued_at: datetime
    expires_at: datetime
    claims: dict[str, Any]


def make_disclosure(name: str, value: Any) -> str:
    return b64url(canonical_json([b64url(secrets.token_bytes(16)), name, value]))


def disclosure_digest(disclosure: str) -> str:
    return b64url(hashlib.sha256(disclosure.encode("ascii")).digest())


def build_payload(ring: SigningKeyRing, *, show_id: str, reference: str, certificate_type: str,
                  issued_at: int, expires_at: int, claims: dict[str, Any]) -> str:
    disclosures = [make_disclosure(name, value) for name, value in claims.items()]
    body = {"k": ring.signing_kid, "s": show_id, "r": reference, "t": certificate_type, "iat": issued_at,
            "exp": expires_at, "n": b64url(secrets.token_bytes(12))}
    _, signature = ring.sign_bytes(signing_input(body, disclosures))  # signs with ring.signing_kid, the "k" above
    return "~".join([f"{PREFIX}.{b64url(canonical_json(body))}.{b64url(signature)}", *disclosures])


def signing_input(body: dict[str, Any], disclosures: list[str]) -> bytes:
    """``YSS1.<b64url(body with d)>``: what the signature covers."""
    signed = {**body, "d": sorted(disclosure_digest(d) for d in disclosures)}
    return f"{PREFIX}.{b64url(canonical_json(signed))}".encode("ascii")


def _decode_json(text: str) -> Any:
    try:
        return json.loads(b64url_decode(text))
    except (ValueError, UnicodeDecodeError):
        raise ShowMalformed() from None


def open_payload(payload: str, jwks: dict[str, Any]) -> OpenedShow:
    """Check the signature and every disclosure against the signed digests (not the expiry)."""
    if not isinstance(payload, str) or len(payload.encode()) > MAX_PAYLOAD_BYTES or not payload.isascii():
        raise ShowMalformed()
    head, *disclosures = payload.split("~")
    parts = head.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ShowMalformed()
    body = _decode_json(parts[1])
    if not isinstance(body, dict) or set(body) != set(_BODY_KEYS) \
            or any(not isinstance(body[k], t) for k, t in _BODY_KEYS.items()) \
            or not 0 <= body["iat"] <= body["exp"] < 2**40:
        raise ShowMalformed()
    try:
        signature = b64url_decode(parts[2])
    except ValueError:
        raise ShowMalformed() from None
    key = public_key_from_jwks(jwks, body["k"])
    if key is None:
        raise ShowSignatureInvalid()
    try:
        key.verify(signature, signing_input(body, disclosures))
    except (InvalidSignature, ValueError):
        raise ShowSignatureInvalid() from None
    claims: dict[str, Any] = {}
    for disclosure in disclosures:
        item = _decode_json(disclosure)
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[1], str)) or item[1] in claims:
            raise ShowMalformed()
        claims[item[1]] = item[2]
    return OpenedShow(body["k"], body["s"], body["r"], body["t"], datetime.fromtimestamp(body["iat"], UTC),
                      datetime.fromtimestamp(body["exp"], UTC), claims)


def verify_offline(payload: str, jwks: dict[str, Any], now: datetime) -> OpenedShow:
    """Everything a verifier without network access can check: signature, disclosures, expiry."""
    opened = open_payload(payload, jwks)
    if now >= opened.expires_at:
        raise ShowExpired()
    return opened
