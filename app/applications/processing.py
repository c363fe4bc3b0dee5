"""Department processing: staff of the owning department (and only they) open, accept or refuse,
review, ask for a supplement, approve or reject, each with their opinion on the event.

Opening a case reads the applicant's personal data and materials: every open is in the applicant's
data tracker (``data.read`` on their account, as ticket reveals are). Acceptance starts the
promised deadline; a supplement request pauses it. Approval checks the referenced certificates are
still current (an expired or revoked one sends the case to 补正 instead) and issues the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import clock
from app.applications import deadlines, errors
from app.applications.access import staff_application
from app.applications.drafts import check_materials, require_guide
from app.applications.issuing import issue_result
from app.applications.lifecycle import COMPLETED, allowed_actions, move
from app.applications.models import Application
from app.applications.views import ApplicationView, EventView, application_view, events_of
from app.audit import disclosures
from app.audit.log import Actor
from app.db import transactional
from app.identity import accounts
from app.staff.auth import StaffPrincipal


@dataclass(frozen=True)
class ApplicantView:
    account_id: int
    name: str | None
    id_number: str | None
    phone: str | None


@dataclass(frozen=True)
class CaseView:
    application: ApplicationView
    applicant: ApplicantView
    events: list[EventView]
    allowed_actions: list[str]


def record_read(staff: StaffPrincipal, application: Application, data: list[str], purpose: str,
                **extra: Any) -> None:
    """The applicant's data tracker entry for a staff read of their application (``purpose`` a key of
    the data catalogue; the application's number is shown beside it)."""
    disclosures.record_read(application.applicant_account_id, by=Actor("staff", str(staff.staff_id)), data=data,
                            purpose=purpose, application_id=application.id, application_number=application.number,
                            department_id=application.department_id, **extra)


@transactional
def open_case(staff: StaffPrincipal, application_id: int) -> CaseView:
    application = staff_application(staff, application_id)
    account = accounts.get_account(application.applicant_account_id)
    identity = accounts.real_name(account)
    view = application_view(application)
    applicant = ApplicantView(account.id, identity[0] if identity else None, identity[1] if identity else None,
                              accounts.phone(account))
    read = ["name", "id_number", "phone", "application_form",
            *[f"material:{m.code}" for m in view.materials if m.satisfied]]
    record_read(staff, application, read, "application_handling")
    return CaseView(view, applicant, events_of(application), allowed_actions(application.state))


def _answer(staff: StaffPrincipal, application: Application) -> ApplicationView:
    """The case after a step, as staff see it: its form is personal data, so this read is recorded too."""
    record_read(staff, application, ["application_form"], "application_handling", state=application.state)
    return application_view(application)


def _locked(staff: StaffPrincipal, application_id: int) -> Application:
    return staff_application(staff, application_id, lock=True)


@transactional
def accept(staff: StaffPrincipal, application_id: int, opinion: str | None = None) -> ApplicationView:
    """受理: the promised deadline starts (working days from today)."""
    application = _locked(staff, application_id)
    guide = require_guide(application.service_code)
    now = clock.now()
    deadlines.start(application, guide.promised_days, now)
    application.handled_by = staff.staff_id
    move(application, "accept", "staff", staff.staff_id,
         {"opinion": opinion, "due_at": application.due_at.isoformat()})
    return _answer(staff, application)


@transactional
def refuse(staff: StaffPrincipal, application_id: int, reason: str) -> ApplicationView:
    """不予受理, with the reason the applicant reads."""
    application = _locked(staff, application_id)
    now = clock.now()
    move(application, "refuse", "staff", staff.staff_id, {"reason": reason}, tell=reason)
    application.decision, application.decision_reason = "not_accepted", reason
    application.decided_at = application.completed_at = now
    application.handled_by = staff.staff_id
    return _answer(staff, application)


@transactional
def start_review(staff: StaffPrincipal, application_id: int, opinion: str | None = None) -> ApplicationView:
    application = _locked(staff, application_id)
    move(application, "review", "staff", staff.staff_id, {"opinion": opinion} if opinion else None)
    application.handled_by = staff.staff_id
    return _answer(staff, application)


def _supplement(application: Application, actor_type: str, actor_id: Any, fields: list[str],
                materials: list[str], message: str) -> None:
    guide = require_guide(application.service_code)
    unknown = [f for f in fields if guide.field(f) is None] + [m for m in materials if guide.material(m) is None]
    if unknown:
        raise errors.FormInvalid("补正项不是该事项的表单项或材料", details={"unknown": unknown})
    deadlines.pause(application, clock.now())
    application.supplement = {"fields": fields, "materials": materials, "message": message,
                              "requested_at": clock.now().isoformat()}
    move(application, "request_supplement", actor_type, actor_id,
         {"fields": fields, "materials": materials, "message": message,
          "remaining_days": application.remaining_days}, tell=message)


@transactional
def request_supplement(staff: StaffPrincipal, application_id: int, *, message: str,
                       fields: list[str] | None = None, materials: list[str] | None = None) -> ApplicationView:
    """补正: which fields and materials, with a message; the deadline clock stops."""
    application = _locked(staff, application_id)
    _supplement(application, "staff", staff.staff_id, list(fields or []), list(materials or []), message)
    application.handled_by = staff.staff_id
    return _answer(staff, application)


@transactional
def approve(staff: StaffPrincipal, application_id: int, opinion: str) -> ApplicationView:
    """Approve (准予) and issue the result; a referenced certificate no longer current → 补正."""
    application = _locked(staff, application_id)
    guide = require_guide(application.service_code)
    if application.state not in ("accepted", "in_review"):
        raise errors.ApplicationIllegalTransition("approve", application.state, "approved")
    problems = check_materials(application, guide)
    if problems:
        names = "、".join(p["name"] for p in problems)
        _supplement(application, "system", None, [], [p["material"] for p in problems],
                    f"{names}已过期或注销，请更新后重新提交")
        return _answer(staff, application)
    now = clock.now()
    move(application, "approve", "staff", staff.staff_id, {"opinion": opinion}, tell=opinion)
    application.decision, application.decision_reason, application.decided_at = "approved", opinion, now
    application.handled_by = staff.staff_id
    application.result = issue_result(application, guide)
    move(application, "complete", "system", None, {"result": application.result})
    application.completed_at = now
    return _answer(staff, application)


@transactional
def reject(staff: StaffPrincipal, application_id: int, reason: str) -> ApplicationView:
    """不予批准, with the reason; the written decision is the result (办结)."""
    application = _locked(staff, application_id)
    now = clock.now()
    move(application, "reject", "staff", staff.staff_id, {"reason": reason}, tell=reason)
    application.decision, application.decision_reason, application.decided_at = "rejected", reason, now
    application.handled_by = staff.staff_id
    application.result = {"kind": "decision", "text": f"不予批准：{reason}"}
    move(application, "complete", "system", None, {"result": application.result}, to_state=COMPLETED)
    application.completed_at = now
    return _answer(staff, application)
