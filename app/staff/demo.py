"""Demo data: the service catalogue and three staff accounts (development only).

The browser tests and the web stub log in as these staff with the constants below: a password
and a TOTP secret whose current code they compute with ``app.security.totp.totp_code``.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.staff.accounts import create_staff, find_by_username
from app.staff.catalogue import load_catalogue
from app.staff.models import ADMIN, AGENT, SUPERVISOR


@dataclass(frozen=True)
class DemoStaff:
    username: str
    password: str
    totp_secret: str  # base32
    display_name: str
    role: str
    departments: tuple[str, ...]


DEMO_AGENT = DemoStaff("demo.agent", "demo-agent-pass-2025", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA",
                       "公安厅工作人员 001号", AGENT, ("gd-gat",))
DEMO_SUPERVISOR = DemoStaff("demo.supervisor", "demo-supervisor-pass-2025", "KRSXG5DSNFXGOIDBNZSCA2LTEBQXGZDB",
                            "公安厅值班主管", SUPERVISOR, ("gd-gat",))
DEMO_ADMIN = DemoStaff("demo.admin", "demo-admin-pass-2025", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
                       "系统管理员", ADMIN, ("gd-gat",))
DEMO_STAFF = (DEMO_AGENT, DEMO_SUPERVISOR, DEMO_ADMIN)


def seed() -> None:
    from config import get_settings

    load_catalogue()
    if get_settings().is_production:
        return  # known passwords and secrets never reach production
    for demo in DEMO_STAFF:
        if find_by_username(demo.username) is None:
            create_staff(demo.username, demo.display_name, demo.role, demo.password,
                         department_codes=list(demo.departments), totp_secret=demo.totp_secret)
