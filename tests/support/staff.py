"""Factories for the service catalogue and logged-in staff members, straight through app/."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app import clock
from app.security.totp import totp_code
from app.staff import auth
from app.staff.accounts import create_staff
from app.staff.auth import StaffPrincipal
from app.staff.catalogue import department_by_code, load_catalogue, services
from app.staff.models import AGENT

_sequence = itertools.count(1)
PASSWORD = "correct horse battery"


@dataclass
class StaffUser:
    id: int
    username: str
    display_name: str
    password: str
    totp_secret: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def principal(self) -> StaffPrincipal:
        return auth.authenticate(self.access_token)

    def code(self, offset_steps: int = 0) -> str:
        return totp_code(self.totp_secret, int(clock.now().timestamp()) + 30 * offset_steps)


def load_demo_catalogue() -> None:
    load_catalogue()


def department_id(code: str) -> int:
    return department_by_code(code).id


def service_id(code: str) -> int:
    return next(s.id for s in services() if s.code == code)


def create_staff_member(role: str = AGENT, departments: tuple[str, ...] = ("gd-gat",), *,
                        display_name: str | None = None, log_in: bool = True) -> StaffUser:
    n = next(_sequence)
    username = f"staff.{role}.{n}"
    display_name = display_name or f"工作人员{n:03d}号"
    created = create_staff(username, display_name, role, PASSWORD, department_codes=list(departments))
    token = ""
    if log_in:
        token = auth.log_in(username, PASSWORD, totp_code(created.totp_secret, int(clock.now().timestamp()))
                            ).access_token
    return StaffUser(created.staff.id, username, display_name, PASSWORD, created.totp_secret, token)
