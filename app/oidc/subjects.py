"""Pairwise subject identifiers (OpenID Connect Core §8.1): each client sees its own stable ``sub``
for a resident, so two clients cannot join their records on it."""

from __future__ import annotations

from app.security.keys import lookup_hash


def pairwise_sub(account_id: int, client_id: str) -> str:
    # A keyed hash, not the account id: without the key nobody can link two clients' values.
    return lookup_hash(str(account_id), f"oidc.sub:{client_id}")
