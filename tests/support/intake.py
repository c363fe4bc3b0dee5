"""Registering authorities and sending signed batches, as an issuing authority's system would."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from app import clock
from app.intake.authorities import register_authority
from app.intake.signing import sign
from app.intake.types import document_types, record_types

BATCH_PATH = "/api/v1/intake/batches"


@dataclass
class IssuingAuthority:
    id: str
    secret: str


def make_authority(types: list[str], authority_id: str | None = None, name: str = "测试发证机关") -> IssuingAuthority:
    authority_id = authority_id or f"auth-{secrets.token_hex(4)}"
    return IssuingAuthority(authority_id, register_authority(authority_id, name, types))


def every_type() -> list[str]:
    """Every record type and every document type: an authority that may send anything."""
    documents = [f"{kind}:{code}" for kind, codes in document_types().items() for code in codes]
    return sorted([name for name, t in record_types().items() if t.document_kind is None] + documents)


def document_types_of(kind: str) -> list[str]:
    return [f"{kind}:{code}" for code in document_types()[kind]]


def signed_headers(authority: IssuingAuthority, body: bytes, *, method: str = "POST", path: str = BATCH_PATH,
                   timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    ts = str(int(clock.now().timestamp()) if timestamp is None else timestamp)  # yss's clock, frozen or not
    nonce = nonce or secrets.token_hex(16)
    return {
        "Content-Type": "application/json",
        "X-Authority-Id": authority.id,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "X-Signature": sign(authority.secret, method, path, ts, nonce, body),
    }


def send_batch(client: Any, authority: IssuingAuthority, records: list[dict[str, Any]], **header_options: Any) -> Any:
    body = json.dumps({"records": records}).encode()
    return client.post(BATCH_PATH, data=body, headers=signed_headers(authority, body, **header_options))


def record(record_type: str, record_id: str, data: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {"type": record_type, "id": record_id, "version": version, "data": data}
