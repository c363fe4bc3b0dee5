"""Demo data: one hall officer at 天河 (development only), logged in like the other demo staff."""

from __future__ import annotations

from app.audit.log import SYSTEM
from app.db import session
from app.halls.models import HallOfficer
from app.halls.officers import assign_officer
from app.staff.accounts import create_staff, find_by_username
from app.staff.demo import DemoStaff
from app.staff.models import HALL_OFFICER

DEMO_HALL = "gz-tianhe"
DEMO_HALL_OFFICER = DemoStaff("demo.hall", "demo-hall-pass-2025", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                              "天河政务服务中心窗口", HALL_OFFICER, ("gd-gat",))


def seed() -> None:
    from config import get_settings

    if get_settings().is_production:
        return  # known passwords and secrets never reach production
    demo = DEMO_HALL_OFFICER
    staff = find_by_username(demo.username)
    if staff is None:
        staff = create_staff(demo.username, demo.display_name, demo.role, demo.password,
                             department_codes=list(demo.departments), totp_secret=demo.totp_secret).staff
    if session().get(HallOfficer, staff.id) is None:
        assign_officer(staff.id, DEMO_HALL, by=SYSTEM)
