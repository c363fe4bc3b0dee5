"""Reviewing ratings the burst rule held (``bursts``): an admin counts them or discards them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db import session, transactional
from app.errors import NotFound
from app.paging import Page, Window, fetch_page
from app.ratings import errors
from app.ratings.models import Rating
from app.ratings.rectification import open_case_if_bad
from app.staff.auth import StaffPrincipal

COUNT, DISCARD = "count", "discard"


@dataclass(frozen=True)
class HeldRating:
    id: int
    service_id: int
    department_id: int
    ticket_id: int | None
    score: int
    comment: str | None
    created_at: datetime
    held_for_review: bool
    excluded: bool


def _view(rating: Rating) -> HeldRating:
    return HeldRating(rating.id, rating.service_id, rating.department_id, rating.ticket_id, rating.score,
                      rating.comment, rating.created_at, rating.held_for_review, rating.excluded)


def held_ratings(window: Window) -> Page[HeldRating]:
    """Ratings waiting for review, oldest first."""
    stmt = select(Rating).where(Rating.held_for_review.is_(True)).order_by(Rating.created_at, Rating.id)
    return fetch_page(session(), stmt, window, _view)


@transactional
def review(staff: StaffPrincipal, rating_id: int, decision: str) -> HeldRating:
    """Count a held rating (as of its own date; a bad one opens its rectification now) or discard it."""
    rating = session().get(Rating, rating_id, with_for_update=True)
    if rating is None:
        raise NotFound()
    if not rating.held_for_review:
        raise errors.RatingNotHeld()
    rating.held_for_review = False
    if decision == DISCARD:
        rating.excluded = True
    else:
        session().flush()
        open_case_if_bad(rating)
    return _view(rating)
