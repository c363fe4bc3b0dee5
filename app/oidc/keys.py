"""The provider's own signing keys: RSA, RS256 — the algorithm every OpenID relying party must
accept (OpenID Connect Discovery §3) and the one its conformance suite tests by default.

Kept apart from yss's Ed25519 keys on purpose: relying parties pin this JWKS, and it rotates on
its own schedule; yss's session tokens never verify against it, nor ID tokens against those.
The first key signs, all are published.
"""

from __future__ import annotations

import functools
from typing import Any

from joserfc.jwk import KeySet, RSAKey

from config import get_settings

ALG = "RS256"


@functools.cache
def _keys() -> tuple[tuple[str, RSAKey], ...]:
    pairs = get_settings().key_list("oidc_signing_keys")
    if not pairs:
        raise ValueError("OIDC_SIGNING_KEYS needs at least one key")
    return tuple((kid, RSAKey.import_key(der, {"kid": kid, "alg": ALG, "use": "sig"})) for kid, der in pairs)


def signing_key() -> tuple[str, RSAKey]:
    return _keys()[0]


def jwks() -> dict[str, Any]:
    return KeySet([key for _, key in _keys()]).as_dict(private=False)
