"""A holder's device in Python: a P-256 key, and SD-JWT+KB presentations built as the page builds them."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from app.certificates.sdjwt import COUNTER_AUDIENCE
from app.security.signing import b64url


def _b64json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


class Device:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())

    @property
    def jwk(self) -> dict[str, str]:
        numbers = self.key.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big"))}

    def sign_es256(self, signing_input: bytes) -> str:
        r, s = decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    def key_binding(self, sd_jwt_part: str, *, audience: str, nonce: str, iat: int | None = None,
                    typ: str = "kb+jwt") -> str:
        payload = {"iat": int(time.time()) if iat is None else iat, "aud": audience, "nonce": nonce,
                   "sd_hash": b64url(hashlib.sha256(sd_jwt_part.encode()).digest())}
        signing_input = f"{_b64json({'alg': 'ES256', 'typ': typ})}.{_b64json(payload)}"
        return f"{signing_input}.{self.sign_es256(signing_input.encode())}"

    def present(self, credential: dict[str, Any], claims: list[str], *, audience: str = COUNTER_AUDIENCE,
                nonce: str | None = None, iat: int | None = None) -> str:
        """The issuer JWT, the chosen claims' disclosures, and a KB-JWT over them."""
        issuer_jwt = credential["sd_jwt"].split("~")[0]
        part = "~".join([issuer_jwt, *(credential["disclosures"][c] for c in claims)]) + "~"
        return part + self.key_binding(part, audience=audience, nonce=nonce or secrets.token_urlsafe(12), iat=iat)


def receive(client: Any, headers: dict[str, str], certificate_id: int, device: Device) -> dict[str, Any]:
    response = client.post(f"/api/v1/me/certificates/{certificate_id}/credential", headers=headers,
                           json={"device_key": device.jwk})
    assert response.status_code == 201, response.json
    return response.json
