"""Rectification (整改) of bad ratings: opened automatically, due in N working days (setting
``RECTIFICATION_WORKING_DAYS``, default 15), followed up by a supervisor of the owning
department, closed with an outcome the requester is told of."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import clock
from app.db import session, transactional
from app.errors import NotFound
from app.ratings import errors
from app.ratings.models import Rating, RectificationCase, RectificationFollowUp
from app.staff.auth import StaffPrincipal
from app.staff.models import StaffMember
from app.tickets.notices import tell_requester
from app.tickets.workdays import add_working_days
from config import get_settings

OPEN, RECTIFIED = "open", "rectified"


def open_case_if_bad(rating: Rating) -> RectificationCase | None:
    """Inside the rating's transaction: a case for a bad rating that has none yet."""
    if rating.score not in errors.BAD_SCORES:
        return None
    s = session()
    existing = s.scalars(select(RectificationCase).where(RectificationCase.rating_id == rating.id)).first()
    if existing is not None:
        return existing
    now = clock.now()
    deadline = add_working_days(now, get_settings().rectification_working_days)
    case = RectificationCase(rating_id=rating.id, department_id=rating.department_id, state=OPEN, opened_at=now,
                             due=deadline.due, due_estimated=deadline.estimated)
    s.add(case)
    s.flush()
    return case


def _case(staff: StaffPrincipal, case_id: int) -> RectificationCase:
    case = session().get(RectificationCase, case_id)
    if case is None or case.department_id not in staff.department_ids:
        raise NotFound()
    return case


def view(case: RectificationCase) -> dict[str, Any]:
    s = session()
    rating = s.get(Rating, case.rating_id)
    follow_ups = s.execute(
        select(RectificationFollowUp, StaffMember.display_name)
        .join(StaffMember, StaffMember.id == RectificationFollowUp.staff_id)
        .where(RectificationFollowUp.case_id == case.id).order_by(RectificationFollowUp.id)
    ).all()
    return {
        "id": case.id, "state": case.state, "department_id": case.department_id, "opened_at": case.opened_at,
        "due": case.due, "due_estimated": case.due_estimated,
        "overdue": (case.outcome_at or clock.now()) > case.due,
        "rating": {"id": rating.id, "score": rating.score, "comment": rating.comment, "tags": rating.tags,
                   "ticket_id": rating.ticket_id, "service_id": rating.service_id},
        "follow_ups": [{"at": f.at, "staff": name, "note": f.note} for f, name in follow_ups],
        "outcome": case.outcome, "outcome_at": case.outcome_at,
    }


def cases(staff: StaffPrincipal, state: str | None = None) -> list[dict[str, Any]]:
    stmt = select(RectificationCase).where(RectificationCase.department_id.in_(staff.department_ids))
    if state:
        stmt = stmt.where(RectificationCase.state == state)
    return [view(c) for c in session().scalars(stmt.order_by(RectificationCase.due, RectificationCase.id))]


def case_view(staff: StaffPrincipal, case_id: int) -> dict[str, Any]:
    return view(_case(staff, case_id))


@transactional
def follow_up(staff: StaffPrincipal, case_id: int, note: str) -> dict[str, Any]:
    case = _case(staff, case_id)
    session().add(RectificationFollowUp(case_id=case.id, staff_id=staff.staff_id, at=clock.now(), note=note))
    session().flush()
    return view(case)


@transactional
def record_outcome(staff: StaffPrincipal, case_id: int, outcome: str) -> dict[str, Any]:
    case = _case(staff, case_id)
    if case.state == RECTIFIED:
        raise errors.CaseAlreadyRectified()
    case.state, case.outcome, case.outcome_at, case.outcome_by = RECTIFIED, outcome, clock.now(), staff.staff_id
    rating = session().get(Rating, case.rating_id)
    if rating.ticket_id is not None:
        # Service ratings without a ticket wait for the push inbox (see notices.tell_requester).
        tell_requester(rating.ticket_id, rating.account_id, "您的评价已整改", f"整改结果：{outcome}",
                       reason="rectification")
    return view(case)
