"""Issuing certificates and life events the way authorities do: signed intake batches."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from tests.support.intake import IssuingAuthority, document_types_of, make_authority, record, send_batch

PEOPLE_TYPES = ["person", "household_link", "life_event"]
CERTIFICATE_TYPES = document_types_of("certificate")  # every certificate type
_ids = itertools.count(1)


def full_authority() -> IssuingAuthority:
    return make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES)


def certificate_data(holder_id_number: str, *, type: str = "resident_id_card", number: str | None = None,
                     holder_name: str = "张三", issued_on: date = date(2020, 1, 1),
                     expires_on: date | None = date(2040, 1, 1), **fields: Any) -> dict[str, Any]:
    return {"type": type, "number": number or f"N{next(_ids):08d}", "holder_id_number": holder_id_number,
            "holder_name": holder_name, "issued_on": issued_on.isoformat(),
            "expires_on": expires_on and expires_on.isoformat(), "fields": fields}


def issue(client: Any, authority: IssuingAuthority, record_type: str, data: dict[str, Any],
          record_id: str | None = None, version: int = 1) -> dict[str, Any]:
    """Send one record and return its result (asserting the batch itself went through)."""
    response = send_batch(client, authority, [record(record_type, record_id or f"R-{next(_ids)}", data, version)])
    assert response.status_code == 200, response.json
    return response.json["results"][0]


def issue_certificate(client: Any, authority: IssuingAuthority, holder_id_number: str, **options: Any) -> dict:
    data = certificate_data(holder_id_number, **options)
    result = issue(client, authority, "certificate", data)
    assert result["status"] == "accepted", result
    return data
