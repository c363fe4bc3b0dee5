"""A requester's ticket with their rating of it: the ticket's own view plus what ratings knows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import session
from app.ratings.models import Rating, RectificationCase
from app.ratings.rectification import RECTIFIED
from app.tickets.access import requester_ticket
from app.tickets.read_models import for_requester


def requester_view(account_id: int, ticket_id: int) -> dict[str, Any]:
    """One ticket with my rating of it (only here, so lists stay one query; only for the one who
    opened it, as the rating is theirs)."""
    ticket = requester_ticket(account_id, ticket_id)
    mine = None
    if ticket.requester_id == account_id:
        row = session().execute(
            select(Rating, RectificationCase.state)
            .outerjoin(RectificationCase, RectificationCase.rating_id == Rating.id)
            .where(Rating.ticket_id == ticket.id)).first()
        if row is not None:
            rating, case_state = row
            mine = {"id": rating.id, "score": rating.score, "comment": rating.comment, "tags": rating.tags,
                    "source": rating.source, "original_score": rating.original_score,
                    "can_rerate": case_state == RECTIFIED and rating.rerated_at is None}
    return {**for_requester(ticket), "rating": mine}
