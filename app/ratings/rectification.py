"""Rectification (整改) of bad ratings: opened automatically, due in N working days (setting
``RECTIFICATION_WORKING_DAYS``, default 15), followed up by a supervisor of the owning
department, closed with an outcome the requester is told of.

The department may appeal (申诉) a bad rating it thinks mistaken or malicious: a supervisor files
the appeal with a reason and an admin other than the one who filed it decides. Upheld, the rating
leaves the aggregates and the case is voided; rejected, the case is open again with its original
deadline. A case has at most one appeal.

    open → rectified            (outcome recorded; the requester may then rate once more)
    open → appealed → voided    (appeal upheld)
              ↓
            open                (appeal rejected)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import clock
from app.db import session, transactional
from app.errors import NotFound
from app.paging import Page, Window, fetch_page
from app.ratings import errors
from app.ratings.models import BAD_SCORES, Rating, RatingAppeal, RectificationCase, RectificationFollowUp
from app.staff.auth import StaffPrincipal
from app.staff.models import StaffMember
from app.tickets.notices import tell_rater, tell_requester
from app.workdays import add_working_days
from config import get_settings

OPEN, APPEALED, RECTIFIED, VOIDED = "open", "appealed", "rectified", "voided"
STATES = (OPEN, APPEALED, RECTIFIED, VOIDED)
UPHELD, REJECTED = "upheld", "rejected"


def open_case_if_bad(rating: Rating) -> RectificationCase | None:
    """Inside the rating's transaction: a case for a bad rating that has none yet."""
    if rating.score not in BAD_SCORES:
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


def _case(staff: StaffPrincipal, case_id: int, *, lock: bool = True) -> RectificationCase:
    # Locked for the rest of the use case: two supervisors acting at once take turns.
    case = session().get(RectificationCase, case_id, with_for_update=lock)
    if case is None or case.department_id not in staff.department_ids:
        raise NotFound()
    return case


def _appeal(case_id: int) -> RatingAppeal | None:
    return session().scalars(select(RatingAppeal).where(RatingAppeal.case_id == case_id)).first()


def _appeal_view(case_id: int) -> dict[str, Any] | None:
    filer, decider = aliased(StaffMember), aliased(StaffMember)
    row = session().execute(
        select(RatingAppeal, filer.display_name, decider.display_name)
        .join(filer, filer.id == RatingAppeal.filed_by).outerjoin(decider, decider.id == RatingAppeal.decided_by)
        .where(RatingAppeal.case_id == case_id)).first()
    if row is None:
        return None
    appeal, filed_by, decided_by = row
    return {"reason": appeal.reason, "filed_by": filed_by, "filed_at": appeal.filed_at,
            "decision": appeal.decision, "decision_note": appeal.decision_note,
            "decided_by": decided_by, "decided_at": appeal.decided_at}


def _tell(rating: Rating, title: str, body: str, reason: str) -> None:
    if rating.ticket_id is not None:
        tell_requester(rating.ticket_id, rating.account_id, title, body, reason=reason)
    else:
        tell_rater(rating.id, rating.account_id, title, body, reason=reason)


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
                   "ticket_id": rating.ticket_id, "service_id": rating.service_id,
                   "original_score": rating.original_score, "rerated_at": rating.rerated_at,
                   "excluded": rating.excluded},
        "appeal": _appeal_view(case.id),
        "follow_ups": [{"at": f.at, "staff": name, "note": f.note} for f, name in follow_ups],
        "outcome": case.outcome, "outcome_at": case.outcome_at,
    }


def cases(staff: StaffPrincipal, state: str | None = None, window: Window = Window(0, 50)) -> Page[dict[str, Any]]:
    """My departments' cases, earliest deadline first."""
    stmt = select(RectificationCase).where(RectificationCase.department_id.in_(staff.department_ids))
    if state:
        stmt = stmt.where(RectificationCase.state == state)
    return fetch_page(session(), stmt.order_by(RectificationCase.due, RectificationCase.id), window, view)


def case_view(staff: StaffPrincipal, case_id: int) -> dict[str, Any]:
    return view(_case(staff, case_id, lock=False))


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
    if case.state == APPEALED:
        raise errors.AppealPending()
    if case.state != OPEN:
        raise errors.CaseNotOpen()
    case.state, case.outcome, case.outcome_at, case.outcome_by = RECTIFIED, outcome, clock.now(), staff.staff_id
    _tell(session().get(Rating, case.rating_id), "您的评价已整改", f"整改结果：{outcome}。您可以再评价一次。",
          "rectification")
    return view(case)


@transactional
def file_appeal(staff: StaffPrincipal, case_id: int, reason: str) -> dict[str, Any]:
    """A supervisor of the owning department contests the bad rating behind an open case."""
    case = _case(staff, case_id)
    if _appeal(case.id) is not None:
        raise errors.AppealExists()
    if case.state != OPEN:
        raise errors.CaseNotOpen()
    session().add(RatingAppeal(case_id=case.id, reason=reason, filed_by=staff.staff_id, filed_at=clock.now()))
    case.state = APPEALED
    session().flush()
    return view(case)


def appeals(pending: bool | None = None, window: Window = Window(0, 50)) -> Page[dict[str, Any]]:
    """Every department's appealed cases, oldest first (for admins, who decide them)."""
    stmt = select(RectificationCase).join(RatingAppeal, RatingAppeal.case_id == RectificationCase.id)
    if pending is not None:
        stmt = stmt.where(RatingAppeal.decision.is_(None) if pending else RatingAppeal.decision.is_not(None))
    return fetch_page(session(), stmt.order_by(RatingAppeal.filed_at, RatingAppeal.id), window, view)


@transactional
def decide_appeal(staff: StaffPrincipal, case_id: int, decision: str, note: str) -> dict[str, Any]:
    """An admin upholds the appeal (the rating stops counting) or rejects it (rectification resumes)."""
    case = session().get(RectificationCase, case_id, with_for_update=True)
    appeal = _appeal(case_id) if case is not None else None
    if appeal is None:
        raise NotFound()
    if appeal.decision is not None or case.state != APPEALED:
        raise errors.NoPendingAppeal()
    if appeal.filed_by == staff.staff_id:
        raise errors.OwnAppeal()
    appeal.decision, appeal.decision_note = decision, note
    appeal.decided_by, appeal.decided_at = staff.staff_id, clock.now()
    if decision == UPHELD:
        rating = session().get(Rating, case.rating_id)
        rating.excluded, case.state = True, VOIDED
        _tell(rating, "您的评价复核结果", f"经复核，该评价不纳入统计：{note}", "appeal_upheld")
    else:
        case.state = OPEN
    session().flush()
    return view(case)
