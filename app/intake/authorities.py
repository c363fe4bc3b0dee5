"""Registering issuing authorities (``flask intake register-authority``)."""

from __future__ import annotations

import re
import secrets

from app import clock
from app.db import session, transactional
from app.intake import errors
from app.intake.models import Authority
from app.intake.types import record_types
from app.security.keys import encrypt

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")


@transactional
def register_authority(authority_id: str, name: str, types: list[str]) -> str:
    """Create the authority and return its secret (shown once, stored encrypted)."""
    if not _ID.match(authority_id):
        raise errors.AuthorityIdInvalid()
    unknown = sorted(set(types) - set(record_types()))
    if unknown:
        raise errors.UnknownRecordType(details={"types": unknown})
    if session().get(Authority, authority_id) is not None:
        raise errors.AuthorityExists()
    secret = secrets.token_urlsafe(32)
    session().add(Authority(id=authority_id, name=name, secret_enc=encrypt(secret, "authority.secret"),
                            record_types=sorted(set(types)), created_at=clock.now()))
    return secret
