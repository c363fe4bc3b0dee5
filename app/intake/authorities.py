"""Registering issuing authorities (``flask intake register-authority``).

An authority is registered for record types (``person``, ``life_event``, ``entity``…) and, for the
catalogued kinds, for each document type it issues: ``certificate:resident_id_card`` lets it send
``certificate`` and ``certificate_status`` records of resident ID cards only; ``licence:<code>``
likewise for ``licence`` and ``licence_status``. A bare ``certificate`` or ``licence`` is refused.
"""

from __future__ import annotations

import re
import secrets

from app import clock
from app.db import session, transactional
from app.intake import errors
from app.intake.models import Authority
from app.intake.types import document_types, record_types
from app.security.keys import encrypt

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")


def find_authority(authority_id: str) -> Authority | None:
    """The registered, enabled authority with this id (for intake run by yss itself, e.g. 办事 results)."""
    if not _ID.match(authority_id):
        return None
    authority = session().get(Authority, authority_id)
    return authority if authority is not None and authority.disabled_at is None else None


def resolve_types(types: list[str]) -> tuple[list[str], list[str]]:
    """``--types`` entries → (record types, document types), or the registration error."""
    kinds, known_documents = record_types(), document_types()
    records: set[str] = set()
    documents: set[str] = set()
    unknown: list[str] = []
    bare: list[str] = []
    for entry in types:
        kind, _, code = entry.partition(":")
        if code:
            if code not in known_documents.get(kind, []):
                unknown.append(entry)
                continue
            documents.add(entry)
            records.update(name for name, t in kinds.items() if t.document_kind == kind)
        elif entry not in kinds:
            unknown.append(entry)
        elif kinds[entry].document_kind is not None:
            bare.append(entry)
        else:
            records.add(entry)
    if unknown:
        raise errors.UnknownRecordType(details={"types": sorted(unknown)})
    if bare:
        raise errors.DocumentTypesRequired(details={"types": sorted(bare), "document_types": known_documents})
    return sorted(records), sorted(documents)


@transactional
def register_authority(authority_id: str, name: str, types: list[str]) -> str:
    """Create the authority and return its secret (shown once, stored encrypted)."""
    if not _ID.match(authority_id):
        raise errors.AuthorityIdInvalid()
    records, documents = resolve_types(types)
    if session().get(Authority, authority_id) is not None:
        raise errors.AuthorityExists()
    secret = secrets.token_urlsafe(32)
    session().add(Authority(id=authority_id, name=name, secret_enc=encrypt(secret, "authority.secret"),
                            record_types=records, document_types=documents, created_at=clock.now()))
    return secret
