"""Hall officers: which hall a staff member works at, and the check every hall act makes.

Role and hall both limit a hall officer: an act at a hall needs the ``hall_officer`` role (other
roles are refused ``role_required``, however high) and that very hall (``not_this_hall``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import NotFound
from app.halls.catalogue import Hall, hall
from app.halls.errors import NotHallOfficer, NotThisHall
from app.halls.models import HallOfficer
from app.staff.auth import StaffPrincipal
from app.staff.catalogue import department_by_code
from app.staff.errors import RoleRequired
from app.staff.models import HALL_OFFICER, StaffMember


@dataclass(frozen=True)
class Desk:
    """A hall officer at their hall: who acts, and where (the audit and the data tracker say both)."""

    staff_id: int
    hall: Hall
    department_id: int

    @property
    def actor(self) -> Actor:
        return Actor("staff", str(self.staff_id))

    def refs(self) -> dict[str, str | int]:
        """What each audit entry and data-tracker entry of an act at the hall carries."""
        return {"hall": self.hall.name, "hall_code": self.hall.code, "department_id": self.department_id}


def desk_of(principal: StaffPrincipal, hall_code: str) -> Desk:
    """The caller as an officer of ``hall_code``, or the refusal."""
    target = hall(hall_code)
    if principal.role != HALL_OFFICER:
        raise RoleRequired("此操作需要窗口工作人员角色",
                           details={"required_role": HALL_OFFICER, "current_role": principal.role})
    row = session().get(HallOfficer, principal.staff_id)
    if row is None or row.hall_code != target.code:
        raise NotThisHall(details={"hall": target.code})
    return Desk(principal.staff_id, target, department_by_code(target.department).id)


def my_hall(principal: StaffPrincipal) -> Hall:
    row = session().get(HallOfficer, principal.staff_id)
    if principal.role != HALL_OFFICER or row is None:
        raise NotThisHall()
    return hall(row.hall_code)


@transactional
def assign_officer(staff_id: int, hall_code: str, *, by: Actor) -> Hall:
    """An admin names the hall a hall officer works at (one hall each; a new one replaces the old)."""
    target = hall(hall_code)
    staff = session().get(StaffMember, staff_id)
    if staff is None:
        raise NotFound("工作人员不存在")
    if staff.role != HALL_OFFICER:
        raise NotHallOfficer(details={"role": staff.role})
    row = session().get(HallOfficer, staff_id)
    if row is None:
        row = HallOfficer(staff_id=staff_id)
        session().add(row)
    row.hall_code, row.assigned_at = target.code, clock.now()
    audit_log.record("hall.officer_assigned", actor=by, subject_type="staff", subject_id=staff_id,
                     details={"hall_code": target.code})
    return target
