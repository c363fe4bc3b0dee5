"""Who may see an application: its applicant, and staff of its owning department.

Anyone else gets the same 404 ``application_not_found`` as for an id that does not exist, so the
answer never tells whether an application exists. A life-event application's parts are reached
through it (the applicant) or one by one (each department's staff).
"""

from __future__ import annotations

from sqlalchemy import select

from app.applications.errors import ApplicationNotFound
from app.applications.models import Application
from app.db import session
from app.staff.auth import StaffPrincipal


def applicant_application(account_id: int, application_id: int, *, lock: bool = False) -> Application:
    application = _get(application_id, lock)
    if application is None or application.applicant_account_id != account_id:
        raise ApplicationNotFound()
    return application


def staff_application(staff: StaffPrincipal, application_id: int, *, lock: bool = False) -> Application:
    application = _get(application_id, lock)
    if application is None or application.department_id not in staff.department_ids or is_bundle(application):
        raise ApplicationNotFound()
    return application


def is_bundle(application: Application) -> bool:
    from app.applications.guides import find_guide

    guide = find_guide(application.service_code)
    return guide is not None and bool(guide.parts)


def _get(application_id: int, lock: bool) -> Application | None:
    if not 0 < application_id < 2**31:
        return None
    stmt = select(Application).where(Application.id == application_id)
    return session().scalars(stmt.with_for_update() if lock else stmt).first()
