"""Small helpers for the 办事 tests: a verified resident with an ID card, staff of a department."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app import clock
from app.db import session
from app.intake.models import Authority
from tests.support.certificates import CERTIFICATE_TYPES, PEOPLE_TYPES, issue, issue_certificate
from tests.support.intake import IssuingAuthority, make_authority
from tests.support.residents import Resident, create_resident
from tests.support.staff import StaffUser, create_staff_member, load_demo_catalogue

HOUSEHOLD_ADDRESS = "广州市天河区天河路208号"
_police: dict[object, IssuingAuthority] = {}


def police_authority() -> IssuingAuthority:
    """广东省公安厅 as the authority that issued the resident's ID card (so it may renew it)."""
    row = session().get(Authority, "gd-gat")
    if row is not None and row.created_at in _police:
        return _police[row.created_at]
    authority = make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES, authority_id="gd-gat", name="广东省公安厅")
    _police[session().get(Authority, "gd-gat").created_at] = authority
    return authority


def resident_with_id_card(client: Any, *, level: int = 3, name: str = "张三",
                          expires_in_days: int = 60, card_number: str | None = None, **options: Any) -> Resident:
    """A resident whose ID card (issued through intake) expires in ``expires_in_days``; it is numbered
    by the ID number unless ``card_number`` says otherwise."""
    load_demo_catalogue()
    resident = create_resident(level=level, name=name, **options)
    police = police_authority()
    issue(client, police, "person", {"name": name, "id_number": resident.id_number,
                                     "address": {"kind": "household", "text": HOUSEHOLD_ADDRESS}})
    issue_certificate(client, police, resident.id_number, number=card_number or resident.id_number, holder_name=name,
                      issued_on=date(2007, 1, 1),
                      expires_on=clock.today() + timedelta(days=expires_in_days))
    return resident


def police_staff(role: str = "agent") -> StaffUser:
    return create_staff_member(role=role, departments=("gd-gat",), display_name="公安厅窗口 01")


def draft(client: Any, resident: Resident, service_code: str, expect: int = 201, **body: Any) -> dict:
    response = client.post("/api/v1/applications", headers=resident.headers,
                           json={"service_code": service_code, **body})
    assert response.status_code == expect, response.json
    return response.json


def act(client: Any, who: Any, path: str, expect: int = 200, **body: Any) -> dict:
    response = client.post(f"/api/v1{path}", headers=who.headers, json=body)
    assert response.status_code == expect, response.json
    return response.json
