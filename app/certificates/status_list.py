"""The credentials' status list: an IETF Token Status List (draft-ietf-oauth-status-list) JWT.

One bit per credential (``bits = 1``; bit ``idx % 8`` of byte ``idx // 8``, least significant first),
zlib-compressed (RFC 1950) and base64url-encoded in ``status_list.lst``, signed with yss's EdDSA key
as ``typ: statuslist+jwt``. A bit is 1 (INVALID) while the certificate is revoked, or once the
credential was superseded by a newer one. Revoking a certificate (the intake's certificate_status
record) therefore flips its credentials' bits at the next build; the token is public and cacheable
for ``TTL_SECONDS``, which is how stale an offline verifier may be at most after a refresh.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app import clock
from app.certificates import sdjwt
from app.certificates.models import Certificate, Credential
from app.db import session
from app.security.keys import signing_keys
from app.security.signing import b64url, b64url_decode
from config import get_settings

LIST_ID = 1
SIZE = 2**17  # 131,072 credentials per list; 16 KiB of bits, a few hundred bytes compressed
TTL_SECONDS = 300
STATUS_LIST_TYP = "statuslist+jwt"


def status_list_uri(list_id: int) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/api/v1/status-lists/{list_id}"


def invalid_indexes(list_id: int) -> list[int]:
    stmt = (select(Credential.status_index).join(Certificate, Certificate.id == Credential.certificate_id)
            .where(Credential.status_list == list_id, Credential.expires_at > clock.now(),
                   or_(Certificate.revoked_at.is_not(None), Credential.superseded_at.is_not(None))))
    return list(session().scalars(stmt))


def is_invalid(list_id: int, index: int) -> bool:
    return index in invalid_indexes(list_id)


def encode_bits(indexes: list[int], size: int = SIZE) -> str:
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 1 << (index % 8)
    return b64url(zlib.compress(bytes(bits), 9))


def bit_of(lst: str, index: int) -> int:
    raw = zlib.decompress(b64url_decode(lst))
    return (raw[index // 8] >> (index % 8)) & 1


@dataclass(frozen=True)
class StatusListToken:
    token: str
    issued_at: datetime
    max_age: int


def status_list_token(list_id: int) -> StatusListToken | None:
    """The signed list, or None for a list yss does not publish."""
    if list_id != LIST_ID:
        return None
    now = clock.now()
    issued = int(now.timestamp())
    payload = {"sub": status_list_uri(list_id), "iat": issued, "exp": issued + 24 * 3600, "ttl": TTL_SECONDS,
               "status_list": {"bits": 1, "lst": encode_bits(invalid_indexes(list_id))}}
    return StatusListToken(sdjwt.sign_jwt(signing_keys(), payload, STATUS_LIST_TYP), now, TTL_SECONDS)
