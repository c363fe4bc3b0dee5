"""Ed25519 key ring: JWTs (EdDSA) for access tokens, raw signatures for compact QR payloads.

The first key signs; every key verifies and is published in the JWKS, so a new key can be
added ahead of switching to it and an old one kept until its tokens have lapsed.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.errors import Unauthenticated


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenInvalid(Unauthenticated):
    code, message = "unauthenticated", "登录已失效，请重新登录"


class SigningKeyRing:
    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("at least one signing key is needed")
        self._private = {kid: Ed25519PrivateKey.from_private_bytes(seed) for kid, seed in keys}
        self._public = {kid: key.public_key() for kid, key in self._private.items()}
        self.current = keys[0][0]

    def sign(self, claims: dict[str, Any], *, ttl_seconds: int, audience: str, now: int | None = None) -> str:
        issued = int(time.time()) if now is None else now
        payload = {**claims, "iat": issued, "exp": issued + ttl_seconds, "aud": audience,
                   "jti": secrets.token_hex(8)}
        return jwt.encode(payload, self._private[self.current], algorithm="EdDSA",
                          headers={"kid": self.current})

    def verify(self, token: str, *, audience: str, leeway: int = 0) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._public.get(kid)
            if key is None:
                raise TokenInvalid()
            return jwt.decode(token, key, algorithms=["EdDSA"], audience=audience, leeway=leeway)
        except jwt.ExpiredSignatureError:
            raise TokenInvalid("登录已过期，请刷新或重新登录", code="token_expired") from None
        except jwt.PyJWTError:
            raise TokenInvalid() from None

    def sign_bytes(self, data: bytes) -> tuple[str, bytes]:
        return self.current, self._private[self.current].sign(data)

    def verify_bytes(self, kid: str, data: bytes, signature: bytes) -> bool:
        key = self._public.get(kid)
        if key is None:
            return False
        try:
            key.verify(signature, data)
            return True
        except InvalidSignature:
            return False

    def jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(kid, key) for kid, key in self._public.items()]}


def public_jwk(kid: str, key: Ed25519PublicKey) -> dict[str, str]:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": kid, "use": "sig", "alg": "EdDSA"}


def public_key_from_jwks(jwks: dict[str, Any], kid: str) -> Ed25519PublicKey | None:
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    return None


def verify_with_jwks(token: str, jwks: dict[str, Any], audience: str) -> dict[str, Any]:
    """Offline verification with nothing but the published JWKS."""
    kid = jwt.get_unverified_header(token).get("kid")
    key = public_key_from_jwks(jwks, kid)
    if key is None:
        raise TokenInvalid()
    try:
        return jwt.decode(token, key, algorithms=["EdDSA"], audience=audience)
    except jwt.PyJWTError:
        raise TokenInvalid() from None


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
