"""Ed25519 signing key ring: JWTs (EdDSA) and compact signatures over bytes.

The first key of the ring signs; every key verifies, so a new key can be published first, made
the signer later, and an old one dropped once the tokens it signed have expired. Verifiers outside
yss need only the published JWKS (``verify_with_jwks``).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from typing import Any

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app import clock
from app.security.errors import TokenExpired, TokenSignatureInvalid

_ALG = "EdDSA"
_RESERVED = frozenset({"iat", "exp", "aud"})  # set by sign(); a caller's value would be overwritten
_REQUIRED = ["iat", "exp", "aud", "jti"]
_VERIFIED_MAX = 20_000  # tokens kept verified per process (an access token lives 15 minutes)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(token: str, key: Ed25519PublicKey, audience: str, leeway: int) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[_ALG],  # pinned: the token's own header never chooses the algorithm
            audience=audience,
            leeway=leeway,
            options={"require": _REQUIRED},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired() from exc
    except jwt.InvalidTokenError as exc:
        raise TokenSignatureInvalid() from exc


def unverified_audience(token: str) -> str | None:
    """The audience a token claims, unchecked: only to tell a caller which login it presented (a
    resident's token on a staff endpoint), never to let it in."""
    try:
        audience = jwt.decode(token, options={"verify_signature": False}).get("aud")
    except jwt.InvalidTokenError:
        return None
    return audience if isinstance(audience, str) else None


def _unverified_kid(token: str) -> str:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as exc:
        raise TokenSignatureInvalid() from exc
    if not isinstance(kid, str):
        raise TokenSignatureInvalid()
    return kid


class SigningKeyRing:
    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("a signing key ring needs at least one key")
        self._private: dict[str, Ed25519PrivateKey] = {}
        for kid, seed in keys:
            if not kid or kid in self._private:
                raise ValueError(f"key ids must be non-empty and unique, got {kid!r}")
            if len(seed) != 32:
                raise ValueError(f"Ed25519 seed for {kid!r} must be 32 bytes")
            self._private[kid] = Ed25519PrivateKey.from_private_bytes(seed)
        self.signing_kid = keys[0][0]
        self._public = {kid: key.public_key() for kid, key in self._private.items()}
        # (token, audience, leeway) -> claims, for tokens already verified: a token is immutable, so
        # its signature needs checking once; only its expiry is checked again, against the same
        # clock PyJWT uses. A ring is built once per process, so a dropped key drops its tokens too.
        self._verified: dict[tuple[str, str, int], dict[str, Any]] = {}
        self._verified_lock = threading.Lock()

    def sign(self, claims: dict[str, Any], *, ttl_seconds: int, audience: str, now: int | None = None) -> str:
        """A JWT with the given claims plus iat, exp, aud and jti (the caller's jti is kept)."""
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        if clash := _RESERVED & claims.keys():
            raise ValueError(f"claims {sorted(clash)} are set by sign()")
        issued = int(clock.wall_seconds()) if now is None else now
        payload = {
            **claims,
            "iat": issued,
            "exp": issued + ttl_seconds,
            "aud": audience,
            "jti": claims.get("jti") or secrets.token_urlsafe(16),
        }
        return jwt.encode(
            payload, self._private[self.signing_kid], algorithm=_ALG, headers={"kid": self.signing_kid}
        )

    def verify(self, token: str, *, audience: str, leeway: int = 0) -> dict[str, Any]:
        """The token's claims; Unauthenticated ``token_expired`` or ``token_invalid`` otherwise."""
        cache_key = (token, audience, leeway)
        claims = self._verified.get(cache_key)
        if claims is not None:
            if time.time() < claims["exp"] + leeway:
                return dict(claims)
            self._verified.pop(cache_key, None)
        key = self._public.get(_unverified_kid(token))
        if key is None:
            raise TokenSignatureInvalid()
        claims = _decode(token, key, audience, leeway)
        with self._verified_lock:
            if len(self._verified) >= _VERIFIED_MAX:
                now = time.time()
                self._verified = {k: v for k, v in self._verified.items() if v["exp"] + k[2] > now}
                if len(self._verified) >= _VERIFIED_MAX:
                    self._verified.clear()
            self._verified[cache_key] = claims
        return dict(claims)

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": _b64url(key.public_bytes(Encoding.Raw, PublicFormat.Raw)),
                    "kid": kid,
                    "use": "sig",
                    "alg": _ALG,
                }
                for kid, key in self._public.items()
            ]
        }

    def sign_bytes(self, data: bytes) -> tuple[str, bytes]:
        """(kid, 64-byte signature) for compact payloads such as QR codes, where a JWT is too long."""
        return self.signing_kid, self._private[self.signing_kid].sign(data)

    def verify_bytes(self, kid: str, data: bytes, signature: bytes) -> bool:
        key = self._public.get(kid)
        if key is None:
            return False
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def verify_with_jwks(token: str, jwks: dict[str, Any], audience: str) -> dict[str, Any]:
    """Verify a JWT with only a published JWKS, e.g. offline in a verifier's app."""
    kid = _unverified_kid(token)
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            try:
                raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
                key = Ed25519PublicKey.from_public_bytes(raw)
            except (KeyError, TypeError, ValueError, binascii.Error) as exc:
                raise TokenSignatureInvalid() from exc
            return _decode(token, key, audience, 0)
    raise TokenSignatureInvalid()


# --- helpers for compact (non-JWT) signed payloads, e.g. certificate QR codes -------------------

def b64url(data: bytes) -> str:
    return _b64url(data)


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_from_jwks(jwks: dict[str, Any], kid: str) -> Ed25519PublicKey | None:
    """The Ed25519 public key with this kid from a published JWKS, for offline verification."""
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            try:
                return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
            except (KeyError, TypeError, ValueError, binascii.Error):
                return None
    return None


def canonical_json(data: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
