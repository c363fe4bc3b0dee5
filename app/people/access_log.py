"""The data tracker a resident sees (谁看了我的数据): every read of their data by someone other than
themselves and every disclosure of it outside yss, in plain Chinese — who, what, why, when.

Entries are written by ``app.audit.disclosures.record_read``; every label comes from the data
catalogue (``app.audit.data_catalogue``). Staff are shown by department and number
("广东省公安厅 工作人员 012号", ``app.staff.labels``), never by username or name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from app.audit.data_catalogue import data_catalogue
from app.audit.disclosures import ACTION
from app.audit.models import AuditEntry
from app.db import session
from app.identity.sessions import Principal
from app.intake.models import Authority
from app.paging import Page, Window, fetch_page
from app.people.models import Person
from app.staff.labels import staff_label
from app.staff.models import Department, StaffDepartment

# Ids a resident may quote to support (audience: which verifier checked a credential online);
# anything else in an entry's details stays internal.
SHOWN_REFS = ("show_id", "verification_id", "ticket_id", "audience", "application_id", "application_number",
              "client_id", "department", "relation", "hall")


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    actor_type: str
    actor: str
    data: list[str]
    purpose: str | None
    details: dict[str, Any]


def my_access_log(principal: Principal, window: Window) -> Page[AccessEntry]:
    subject = and_(AuditEntry.subject_type == "account", AuditEntry.subject_id == str(principal.account_id))
    person_id = session().scalar(select(Person.id).where(Person.account_id == principal.account_id))
    if person_id is not None:  # what was done for them before they had an account (a parent acting)
        subject = or_(subject, and_(AuditEntry.subject_type == "person", AuditEntry.subject_id == str(person_id)))
    statement = select(AuditEntry).where(AuditEntry.action == ACTION, subject).order_by(AuditEntry.id.desc())
    page = fetch_page(session(), statement, window, lambda entry: entry)
    names = _names(page.items)
    return Page([_view(entry, names) for entry in page.items], page.total)


def _names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """Authority names, department names (by id) and each staff member's first department."""
    s = session()
    authority_ids = {e.actor_id for e in entries if e.actor_type == "authority" and e.actor_id}
    staff_ids = {int(e.actor_id) for e in entries if e.actor_type == "staff" and (e.actor_id or "").isdigit()}
    names: dict[tuple[str, str], str] = {}
    if authority_ids:
        names |= {("authority", i): n for i, n in s.execute(
            select(Authority.id, Authority.name).where(Authority.id.in_(authority_ids)))}
    if staff_ids:
        first: dict[int, int] = {}
        for staff_id, department_id in s.execute(
                select(StaffDepartment.staff_id, StaffDepartment.department_id)
                .where(StaffDepartment.staff_id.in_(staff_ids)).order_by(StaffDepartment.department_id)):
            first.setdefault(staff_id, department_id)
        names |= {("staff", str(i)): str(d) for i, d in first.items()}
    department_ids = {int(d) for (kind, _), d in names.items() if kind == "staff"} | {
        int(e.details["department_id"]) for e in entries if str(e.details.get("department_id", "")).isdigit()}
    if department_ids:
        names |= {("department", str(i)): n for i, n in s.execute(
            select(Department.id, Department.name).where(Department.id.in_(department_ids)))}
    return names


def _actor_label(entry: AuditEntry, names: dict[tuple[str, str], str]) -> str:
    recipients = data_catalogue().recipients
    if entry.actor_type == "staff":
        department_id = entry.details.get("department_id") or names.get(("staff", entry.actor_id or ""))
        return staff_label(names.get(("department", str(department_id))), entry.actor_id)
    if entry.actor_type == "proxy":  # a parent or a granted relative acting for them
        return entry.details.get("proxy") or "代办人"
    if entry.actor_type == "relying_party":  # a department app that received claims through yss login
        return entry.details.get("client_name") or "部门应用"
    if entry.actor_type == "authority":
        return names.get(("authority", entry.actor_id or ""), "发证部门")
    if entry.actor_type == "outside":
        return recipients.get(entry.actor_id or "", "外部机构")
    return recipients.get(entry.actor_type, entry.actor_type)


def _view(entry: AuditEntry, names: dict[tuple[str, str], str]) -> AccessEntry:
    catalogue = data_catalogue()
    purpose = entry.details.get("purpose")
    data = [_data_label(key) for key in entry.details.get("data", [])]
    return AccessEntry(entry.at, entry.actor_type, _actor_label(entry, names), data,
                       catalogue.purposes.get(purpose, purpose) if purpose else None,
                       {k: v for k, v in entry.details.items() if k in SHOWN_REFS})


def _data_label(key: str) -> str:
    """A catalogue key's label; an entry written with its label already (the OIDC releases) shows it;
    an internal key the catalogue does not know (entries older than it) shows as 其他信息."""
    catalogue = data_catalogue()
    if catalogue.knows_data(key):
        return catalogue.data_label(key)
    return key if not key.isascii() else "其他信息"
