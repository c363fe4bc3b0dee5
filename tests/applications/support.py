"""Small helpers for the 办事 tests: a verified resident with an ID card, staff of a department."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app import clock
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.residents import Resident, create_resident
from tests.support.staff import StaffUser, create_staff_member, load_demo_catalogue

HOUSEHOLD_ADDRESS = "广州市天河区天河路208号"


def resident_with_id_card(client: Any, *, level: int = 3, name: str = "张三",
                          expires_in_days: int = 60, **options: Any) -> Resident:
    """A resident whose ID card (issued through intake) expires in ``expires_in_days``."""
    load_demo_catalogue()
    resident = create_resident(level=level, name=name, **options)
    issue(client, full_authority(), "person", {"name": name, "id_number": resident.id_number,
                                               "address": {"kind": "household", "text": HOUSEHOLD_ADDRESS}})
    issue_certificate(client, full_authority(), resident.id_number, number=resident.id_number, holder_name=name,
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
