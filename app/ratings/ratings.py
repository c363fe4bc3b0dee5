"""Rating a resolved ticket or a used service on the five-level scale (DESIGN.md).

One rating per ticket, editable by its author for 24 hours. A bad rating (1 or 2) opens a
rectification case for the department that owned the ticket or service (``rectification``).
Ratings are real-name: only an account at L2 or above may rate (enforced by the API).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.db import session, transactional
from app.errors import NotFound, ValidationFailed
from app.ratings import errors
from app.ratings.models import Rating
from app.ratings.rectification import open_case_if_bad
from app.staff.catalogue import get_service
from app.tickets.access import requester_ticket
from app.tickets.lifecycle import CLOSED, RESOLVED
from app.tickets.models import TicketEvent

EDIT_WINDOW = timedelta(hours=24)
MAX_TAGS = 10


def _check(score: int, tags: list[str]) -> None:
    if score not in errors.SCALE:
        raise ValidationFailed("评价须为1至5分", details={"score": score})
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"标签最多{MAX_TAGS}个", details={"tags": len(tags)})


def _edit(rating: Rating, score: int, comment: str | None, tags: list[str]) -> Rating:
    now = clock.now()
    if now > rating.created_at + EDIT_WINDOW:
        raise errors.RatingLocked()
    rating.score, rating.comment, rating.tags, rating.updated_at = score, comment, list(tags), now
    open_case_if_bad(rating)
    return rating


@transactional
def rate_ticket(account_id: int, ticket_id: int, score: int, comment: str | None = None,
                tags: list[str] | None = None) -> Rating:
    """Rate my resolved ticket, or change my rating within 24 hours."""
    tags = tags or []
    _check(score, tags)
    ticket = requester_ticket(account_id, ticket_id)
    if ticket.state not in (RESOLVED, CLOSED):
        raise errors.TicketNotResolved()
    rating = session().scalars(select(Rating).where(Rating.ticket_id == ticket.id)).first()
    now = clock.now()
    if rating is not None:
        _edit(rating, score, comment, tags)
    else:
        rating = Rating(account_id=account_id, ticket_id=ticket.id, service_id=ticket.service_id,
                        department_id=ticket.department_id, staff_id=ticket.resolved_by or ticket.assignee_id,
                        score=score, comment=comment, tags=list(tags), created_at=now, updated_at=now)
        session().add(rating)
        session().flush()
        open_case_if_bad(rating)
    session().add(TicketEvent(ticket_id=ticket.id, at=now, actor_type="requester", actor_id=account_id,
                              kind="rated", details={"score": score}))
    return rating


@transactional
def rate_service(account_id: int, service_id: int, score: int, comment: str | None = None,
                 tags: list[str] | None = None) -> Rating:
    """Rate a service after using it (no ticket)."""
    tags = tags or []
    _check(score, tags)
    service = get_service(service_id)
    now = clock.now()
    rating = Rating(account_id=account_id, service_id=service.id, department_id=service.department_id,
                    score=score, comment=comment, tags=list(tags), created_at=now, updated_at=now)
    session().add(rating)
    session().flush()
    open_case_if_bad(rating)
    return rating


@transactional
def edit_rating(account_id: int, rating_id: int, score: int, comment: str | None = None,
                tags: list[str] | None = None) -> Rating:
    tags = tags or []
    _check(score, tags)
    rating = session().get(Rating, rating_id)
    if rating is None or rating.account_id != account_id:
        raise NotFound()
    return _edit(rating, score, comment, tags)


def ticket_rating(account_id: int, ticket_id: int) -> Rating:
    ticket = requester_ticket(account_id, ticket_id)
    rating = session().scalars(select(Rating).where(Rating.ticket_id == ticket.id)).first()
    if rating is None:
        raise NotFound("尚未评价", code="not_found")
    return rating
