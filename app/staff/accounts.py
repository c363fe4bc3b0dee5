"""Creating staff accounts, their departments, and unlocking them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import after_commit, session, transactional
from app.errors import Conflict, NotFound, ValidationFailed
from app.security import totp
from app.security.keys import encrypt
from app.security.passwords import hash_password
from app.staff import lockout
from app.staff.models import ROLE_RANK, Department, StaffDepartment, StaffMember


@dataclass(frozen=True)
class NewStaff:
    staff: StaffMember
    totp_secret: str
    provisioning_uri: str


def department_ids(staff_id: int) -> list[int]:
    stmt = select(StaffDepartment.department_id).where(StaffDepartment.staff_id == staff_id)
    return sorted(session().scalars(stmt))


def find_by_username(username: str) -> StaffMember | None:
    return session().scalars(select(StaffMember).where(StaffMember.username == username)).first()


def get_staff(staff_id: int) -> StaffMember:
    staff = session().get(StaffMember, staff_id)
    if staff is None:
        raise NotFound()
    return staff


@transactional
def create_staff(username: str, display_name: str, role: str, password: str, *,
                 department_codes: list[str] | None = None, department_ids_: list[int] | None = None,
                 totp_secret: str | None = None, actor: Actor = audit_log.SYSTEM) -> NewStaff:
    """A staff member with a fresh TOTP secret (or the given one, for demo data)."""
    if role not in ROLE_RANK:
        raise ValidationFailed("角色无效", code="validation_error", details={"role": role})
    if find_by_username(username) is not None:
        raise Conflict("用户名已存在", code="username_taken")
    secret = totp_secret or totp.new_secret()
    staff = StaffMember(username=username, display_name=display_name, role=role,
                       password_hash=hash_password(password), totp_secret_enc=encrypt(secret, "staff.totp_secret"),
                       failed_attempts=0, created_at=clock.now())
    session().add(staff)
    session().flush()
    ids = list(department_ids_ or [])
    for code in department_codes or []:
        department = session().scalars(select(Department).where(Department.code == code)).first()
        if department is None:
            raise ValidationFailed("部门不存在", code="unknown_department", details={"department": code})
        ids.append(department.id)
    for department_id in sorted(set(ids)):
        if session().get(Department, department_id) is None:
            raise ValidationFailed("部门不存在", code="unknown_department", details={"department": department_id})
        session().add(StaffDepartment(staff_id=staff.id, department_id=department_id))
    audit_log.record("staff.created", actor=actor, subject_type="staff", subject_id=staff.id,
                     details={"role": role, "departments": sorted(set(ids))})
    return NewStaff(staff, secret, totp.provisioning_uri(secret, username))


@transactional
def unlock(staff_id: int, actor: Actor) -> StaffMember:
    """An admin lifts a lockout and resets the failure count."""
    staff = get_staff(staff_id)
    staff.failed_attempts, staff.locked_until = 0, None
    after_commit(lambda: lockout.forget_username(staff.username))
    audit_log.record("staff.unlocked", actor=actor, subject_type="staff", subject_id=staff.id)
    return staff
