"""Settling resolved tickets once their 7 days have passed.

Seven natural days after resolution the requester can no longer reopen the ticket or rate it:
Guangdong counts a case not rated in that time as 基本满意 (3, docs/product.md). A periodic job closes each
resolved ticket whose window has ended (a ``system`` close in its event log), writes the default
rating for every settled ticket its requester did not rate (also those the requester closed), and
tells the requester. It is safe to run twice or on two workers at once: the close only moves a
ticket still ``resolved``, and the rating insert skips a ticket that already has one.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from app import clock
from app.db import session, transactional
from app.queue import TICKETS, actor
from app.ratings.models import Rating
from app.ratings.ratings import RATING_PERIOD
from app.sqlutil import insert_ignoring_conflicts
from app.tickets.lifecycle import CLOSED, RESOLVED, move
from app.tickets.models import Ticket, TicketEvent
from app.tickets.notices import tell_requester

DEFAULT_SCORE = 3  # 基本满意
BATCH = 200


@actor(queue_name=TICKETS, max_retries=3)
def settle_resolved_tickets() -> None:
    while settle_batch() == BATCH:
        pass


@transactional
def settle_batch(limit: int = BATCH) -> int:
    """Settle up to ``limit`` tickets whose window has ended; return how many were settled."""
    now = clock.now()
    unrated = ~exists().where(Rating.ticket_id == Ticket.id)
    stmt = (select(Ticket)
            .where(Ticket.resolved_at < now - RATING_PERIOD,
                   or_(Ticket.state == RESOLVED, (Ticket.state == CLOSED) & unrated))
            .order_by(Ticket.id).limit(limit))
    if session().get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Ticket)  # a second worker takes other rows
    tickets = list(session().scalars(stmt))
    # A ticket already rated keeps its rating: the unique ticket_id skips it, and RETURNING says which got one.
    defaulted = {row.ticket_id for row in insert_ignoring_conflicts(Rating, [
        {"account_id": t.requester_id, "ticket_id": t.id, "service_id": t.service_id,
         "department_id": t.department_id, "staff_id": t.resolved_by or t.assignee_id, "score": DEFAULT_SCORE,
         "comment": None, "tags": [], "source": "default", "excluded": False, "created_at": now, "updated_at": now}
        for t in tickets], ("ticket_id",), returning=(Rating.ticket_id,))}
    for ticket in tickets:
        closed = ticket.state == RESOLVED
        if closed:
            move(ticket, "close", "system", None, {"reason": "settled"})
            ticket.closed_at = now
        if ticket.id in defaulted:
            session().add(TicketEvent(ticket_id=ticket.id, at=now, actor_type="system", actor_id=None, kind="rated",
                                      details={"score": DEFAULT_SCORE, "source": "default"}))
        if closed or ticket.id in defaulted:
            _tell(ticket, closed, ticket.id in defaulted)
    return len(tickets)


def _tell(ticket: Ticket, closed: bool, defaulted: bool) -> None:
    body = "您的工单办结已满7天，已自动关闭。" if closed else "您的工单办结已满7天。"
    if defaulted:
        body += "您未作评价，按规定记为“基本满意”。"
    tell_requester(ticket.id, ticket.requester_id, "工单已关闭" if closed else "工单评价期已结束", body,
                   reason="settled")
