"""A decided application entitles its applicant to rate the service (一事一评), as a resolved ticket does."""

from __future__ import annotations

from sqlalchemy import func, select

from app.applications.models import Application
from app.db import session
from app.ratings.ratings import count_cases_with


@count_cases_with
def decided_applications(account_id: int, service_id: int) -> int:
    return session().scalar(select(func.count()).select_from(Application).where(
        Application.applicant_account_id == account_id, Application.service_id == service_id,
        Application.decision.is_not(None))) or 0
