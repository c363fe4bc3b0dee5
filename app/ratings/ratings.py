"""Rating a resolved ticket or a used service on the five-level scale (docs/product.md).

One rating per ticket, editable by its author for 24 hours. A ticket is rated within 7 days of its
resolution; after that it counts as 基本满意 (``app.ratings.settlement`` writes that default, which
cannot be changed). A bad rating (1 or 2) opens a rectification case for the department that owned
the ticket or service (``rectification``); once the case is rectified the requester may rate once
more (``rerate``), and the new score is the one that counts. Ratings are real-name: only an account
at L2 or above may rate (enforced by the API).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import Enum

from sqlalchemy import func, select

from app import clock
from app.db import session, transactional
from app.errors import NotFound, ValidationFailed
from app.ratings import errors
from app.ratings.bursts import client_key, is_burst
from app.ratings.models import SCALE, Rating, RectificationCase
from app.ratings.rectification import RECTIFIED, open_case_if_bad
from app.staff.catalogue import get_service
from app.tickets.access import requester_ticket
from app.tickets.lifecycle import CLOSED, REOPEN_WINDOW, RESOLVED
from app.tickets.models import Ticket, TicketEvent

EDIT_WINDOW = timedelta(hours=24)
RATING_PERIOD = REOPEN_WINDOW  # from resolution, as long as the requester may reopen
MAX_TAGS = 10


class _Unchanged(Enum):
    KEEP = "keep"


# A change that leaves out the comment or the tags keeps them (a resident changing only the score
# has not asked to lose what they wrote); an explicit null comment or empty list clears them.
KEEP = _Unchanged.KEEP


def check_score(score: int, tags: list[str]) -> None:
    if score not in SCALE:
        raise ValidationFailed("评价须为1至5分", details={"score": score})
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"标签最多{MAX_TAGS}个", details={"tags": len(tags)})


def _my_rating(account_id: int, rating_id: int) -> Rating:
    rating = session().get(Rating, rating_id)
    if rating is None or rating.account_id != account_id:
        raise NotFound()
    return rating


def _edit(rating: Rating, score: int, comment: str | _Unchanged | None, tags: list[str] | _Unchanged) -> Rating:
    now = clock.now()
    if rating.source == "default":
        raise errors.RatingPeriodOver()
    if now > rating.created_at + EDIT_WINDOW:
        raise errors.RatingLocked()
    rating.score, rating.updated_at = score, now
    if comment is not KEEP:
        rating.comment = comment
    if tags is not KEEP:
        rating.tags = list(tags)
    if not rating.held_for_review:
        open_case_if_bad(rating)
    return rating


@transactional
def rate_ticket(account_id: int, ticket_id: int, score: int, comment: str | _Unchanged | None = KEEP,
                tags: list[str] | _Unchanged = KEEP, client_address: str | None = None) -> Rating:
    """Rate my resolved ticket, or change my rating within 24 hours, keeping what the change leaves
    out (a burst is held, ``bursts``)."""
    check_score(score, [] if tags is KEEP else tags)
    ticket = requester_ticket(account_id, ticket_id, opener_only=True)
    if ticket.state not in (RESOLVED, CLOSED):
        raise errors.TicketNotResolved()
    # Lock the ticket's row: a double tap rates once, and the second request edits that rating.
    session().execute(select(Ticket.id).where(Ticket.id == ticket.id).with_for_update())
    rating = session().scalars(select(Rating).where(Rating.ticket_id == ticket.id)).first()
    now = clock.now()
    if rating is not None:
        _edit(rating, score, comment, tags)
    elif ticket.resolved_at is not None and now > ticket.resolved_at + RATING_PERIOD:
        raise errors.RatingPeriodOver()
    else:
        key = client_key(client_address)
        rating = Rating(account_id=account_id, ticket_id=ticket.id, service_id=ticket.service_id,
                        department_id=ticket.department_id, staff_id=ticket.resolved_by or ticket.assignee_id,
                        score=score, comment=None if comment is KEEP else comment,
                        tags=[] if tags is KEEP else list(tags), created_at=now, updated_at=now,
                        client_key=key, held_for_review=is_burst(account_id, ticket.service_id, key))
        session().add(rating)
        session().flush()
        if not rating.held_for_review:
            open_case_if_bad(rating)
    session().add(TicketEvent(ticket_id=ticket.id, at=now, actor_type="requester", actor_id=account_id,
                              kind="rated", details={"score": score}))
    return rating


@transactional
def rate_service(account_id: int, service_id: int, score: int, comment: str | None = None,
                 tags: list[str] | None = None, client_address: str | None = None) -> Rating:
    """Rate a service I used (no ticket): only with a decided application or a resolved ticket for it,
    and no more service ratings than such cases (one account cannot bury a service it never used);
    a burst is held for review (``bursts``)."""
    tags = tags or []
    check_score(score, tags)
    service = get_service(service_id)
    used = _cases_of(account_id, service.id)
    if used == 0:
        raise errors.NoCaseToRate()
    rated = session().scalar(select(func.count()).select_from(Rating).where(
        Rating.account_id == account_id, Rating.service_id == service.id, Rating.ticket_id.is_(None))) or 0
    if rated >= used:
        raise errors.ServiceAlreadyRated(details={"cases": used, "ratings": rated})
    now = clock.now()
    key = client_key(client_address)
    rating = Rating(account_id=account_id, service_id=service.id, department_id=service.department_id,
                    score=score, comment=comment, tags=list(tags), created_at=now, updated_at=now,
                    client_key=key, held_for_review=is_burst(account_id, service.id, key))
    session().add(rating)
    session().flush()
    if not rating.held_for_review:
        open_case_if_bad(rating)
    return rating


# Other capabilities whose finished cases entitle their requester to rate the service (办事 registers
# its decided applications): ``count(account_id, service_id)``, so ratings depends on none of them.
_case_counters: list[Callable[[int, int], int]] = []


def count_cases_with(counter: Callable[[int, int], int]) -> Callable[[int, int], int]:
    """Register ``counter(account_id, service_id)``: how many finished cases of the service I have."""
    _case_counters.append(counter)
    return counter


def _cases_of(account_id: int, service_id: int) -> int:
    """My resolved (or closed) tickets for the service, and the cases other capabilities count."""
    tickets = session().scalar(select(func.count()).select_from(Ticket).where(
        Ticket.requester_id == account_id, Ticket.service_id == service_id,
        Ticket.state.in_((RESOLVED, CLOSED)))) or 0
    return tickets + sum(counter(account_id, service_id) for counter in _case_counters)


@transactional
def edit_rating(account_id: int, rating_id: int, score: int, comment: str | _Unchanged | None = KEEP,
                tags: list[str] | _Unchanged = KEEP) -> Rating:
    """Change my rating within 24 hours; a comment or tags left out are kept."""
    check_score(score, [] if tags is KEEP else tags)
    return _edit(_my_rating(account_id, rating_id), score, comment, tags)


@transactional
def rerate(account_id: int, rating_id: int, score: int, comment: str | None = None,
           tags: list[str] | None = None) -> Rating:
    """Rate once more after my bad rating's rectification; the new score replaces it in the figures.

    A second bad score opens no second case: the case shows the re-rating to its supervisors.
    """
    tags = tags or []
    check_score(score, tags)
    rating = _my_rating(account_id, rating_id)
    case = session().scalars(select(RectificationCase).where(RectificationCase.rating_id == rating.id)).first()
    if case is None or case.state != RECTIFIED:
        raise errors.RerateNotOpen()
    if rating.rerated_at is not None:
        raise errors.RerateUsed()
    now = clock.now()
    rating.original_score, rating.score, rating.comment, rating.tags = rating.score, score, comment, list(tags)
    rating.rerated_at = rating.updated_at = now
    if rating.ticket_id is not None:
        session().add(TicketEvent(ticket_id=rating.ticket_id, at=now, actor_type="requester", actor_id=account_id,
                                  kind="rerated", details={"score": score, "original_score": rating.original_score}))
    return rating


def ticket_rating(account_id: int, ticket_id: int) -> Rating:
    ticket = requester_ticket(account_id, ticket_id, opener_only=True)
    rating = session().scalars(select(Rating).where(Rating.ticket_id == ticket.id)).first()
    if rating is None:
        raise NotFound("尚未评价")
    return rating
