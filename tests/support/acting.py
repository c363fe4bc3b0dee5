"""A family for acting tests: a parent, a minor child known from household records with a birth
certificate, and proxy grants made through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app import clock
from app.people.persons import find_person
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.intake import record as intake_record
from tests.support.intake import send_batch
from tests.support.residents import Resident, create_resident, new_id_number


@dataclass
class Family:
    parent: Resident
    child_id_number: str
    child_person_id: int
    child_ref: str
    birth_certificate_number: str


def family(client: Any, *, child_birth: date = date(2019, 6, 1), child_name: str = "李小明") -> Family:
    parent = create_resident(name="李强")
    child_number = new_id_number(birth=child_birth)
    authority = full_authority()
    response = send_batch(client, authority, [
        intake_record("person", f"P-{child_number}", {"name": child_name, "id_number": child_number}),
        intake_record("household_link", f"L-{child_number}", {"from_id_number": child_number,
                                                              "to_id_number": parent.id_number,
                                                              "relation": "parent"}),
    ])
    assert response.status_code == 200, response.json
    cert = issue_certificate(client, authority, child_number, type="birth_certificate", holder_name=child_name,
                             issued_on=child_birth, expires_on=None)
    person = find_person(child_number)
    listed = client.get("/api/v1/me/acting-for", headers=parent.headers).json
    ref = next(entry["ref"] for entry in listed if entry["name"] == child_name)
    return Family(parent, child_number, person.id, ref, cert["number"])


def proxy_grant(client: Any, grantor: Resident, grantee: Resident, scopes: list[str], days: int = 365) -> int:
    response = client.post("/api/v1/me/proxy-grants", headers=grantor.headers, json={
        "grantee_name": grantee.name, "grantee_id_number": grantee.id_number, "scopes": scopes,
        "expires_at": (clock.now() + timedelta(days=days)).isoformat()})
    assert response.status_code == 201, response.json
    return response.json["id"]


def ref_for(client: Any, actor: Resident, name: str) -> str:
    listed = client.get("/api/v1/me/acting-for", headers=actor.headers).json
    return next(entry["ref"] for entry in listed if entry["name"] == name)


def acting(resident: Resident, ref: str) -> dict[str, str]:
    return {**resident.headers, "X-Acting-For": ref}


__all__ = ["Family", "acting", "create_resident", "family", "issue", "proxy_grant", "ref_for"]


def let_proxy_grant_expire(grant_id: int) -> None:
    """Move a proxy grant's expiry into the past, as if its date had come."""
    from sqlalchemy import update

    from app.acting.models import ProxyGrant
    from app.db import session, transactional

    @transactional
    def expire() -> None:
        session().execute(update(ProxyGrant).where(ProxyGrant.id == grant_id)
                          .values(expires_at=clock.now() - timedelta(seconds=1)))

    expire()
