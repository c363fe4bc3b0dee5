"""Releasing claims to a client: only what the resident consented to, each with its source, and
every release written to the resident's data tracker (谁看了我的数据)."""

from __future__ import annotations

from typing import Any

from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import transactional
from app.oidc.claims import CLAIMS, claim_values, labels
from app.oidc.clients import find_client
from app.oidc.consents import active_consent_claims
from app.oidc.subjects import pairwise_sub
from app.oidc.tokens import TokenView

RELYING_PARTY = "relying_party"


@transactional
def release_userinfo(token: TokenView) -> dict[str, Any]:
    """The userinfo response for ``token``: ``sub``, the consented claims that have a value, and
    ``yss_claim_sources`` naming the authority behind each."""
    client = find_client(token.client_id)
    consented = active_consent_claims(token.account_id, token.client_pk)
    claims = [c for c in token.claims if c in consented]
    values = claim_values(token.account_id, claims)
    released = [c for c in claims if c in values]
    if released:
        purposes = list(dict.fromkeys(client.claim(c).purpose for c in released if client.claim(c)))
        audit_log.record("data.read", actor=Actor(RELYING_PARTY, client.client_id), subject_type="account",
                         subject_id=token.account_id,
                         details={"data": labels(released), "claims": released, "client_id": client.client_id,
                                  "purpose": "；".join(purposes),
                                  "client_name": client.name, "department": client.department})
    return {"sub": pairwise_sub(token.account_id, client.client_id), **values,
            "yss_claim_sources": {c: CLAIMS[c].source for c in released}}
