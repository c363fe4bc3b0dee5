"""The department queue of applications and the supervisors' deadline watch."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.applications.deadlines import at_risk_horizon
from app.applications.guides import guides
from app.applications.lifecycle import ACCEPTED, DRAFT, IN_PROGRESS, IN_REVIEW
from app.applications.models import Application
from app.applications.views import ApplicationSummary, summary_view
from app.db import session
from app.identity.sessions import Principal
from app.paging import Page, Window, fetch_page
from app.staff.auth import StaffPrincipal

CLOCK_RUNNING = (ACCEPTED, IN_REVIEW)


def _bundle_codes() -> list[str]:
    return [code for code, guide in guides().items() if guide.parts]


def staff_queue(staff: StaffPrincipal, window: Window, *, state: str | None = None,
                service_code: str | None = None, overdue: bool | None = None) -> Page[ApplicationSummary]:
    """My departments' applications (never drafts), earliest deadline first, then oldest."""
    now = clock.now()
    stmt = select(Application).where(Application.department_id.in_(staff.department_ids),
                                     Application.state.not_in((DRAFT, IN_PROGRESS)),
                                     Application.service_code.not_in(_bundle_codes()))
    if state:
        stmt = stmt.where(Application.state == state)
    if service_code:
        stmt = stmt.where(Application.service_code == service_code)
    if overdue is True:
        stmt = stmt.where(Application.state.in_(CLOCK_RUNNING), Application.due_at < now)
    elif overdue is False:
        stmt = stmt.where(~(Application.state.in_(CLOCK_RUNNING) & (Application.due_at < now)))
    stmt = stmt.order_by(Application.due_at.is_(None), Application.due_at, Application.submitted_at, Application.id)
    return fetch_page(session(), stmt, window, summary_view)


def deadline_watch(staff: StaffPrincipal, window: Window) -> Page[ApplicationSummary]:
    """Running cases past their deadline or due within the next two working days (supervisors)."""
    stmt = select(Application).where(Application.department_id.in_(staff.department_ids),
                                     Application.state.in_(CLOCK_RUNNING),
                                     Application.due_at <= at_risk_horizon(clock.now())) \
        .order_by(Application.due_at, Application.id)
    return fetch_page(session(), stmt, window, summary_view)


def my_applications(principal: Principal, window: Window, state: str | None = None) -> Page[ApplicationSummary]:
    """My applications, newest first; a life event's parts are shown within it, not here."""
    stmt = select(Application).where(Application.applicant_account_id == principal.account_id,
                                     Application.bundle_id.is_(None))
    if state:
        stmt = stmt.where(Application.state == state)
    return fetch_page(session(), stmt.order_by(Application.id.desc()), window, summary_view)

