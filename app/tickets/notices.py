"""Telling a requester about their ticket.

For now a notice is recorded on the ticket's event log only; the push inbox (category
``tickets``) will deliver it once wired in here, the one place every ticket notice goes through.
"""

from __future__ import annotations

from app import clock
from app.db import session
from app.tickets.models import TicketEvent

CATEGORY = "tickets"


def tell_requester(ticket_id: int, account_id: int, title: str, body: str, *, reason: str) -> None:
    """Record a notice for the requester inside the caller's transaction."""
    session().add(TicketEvent(ticket_id=ticket_id, at=clock.now(), actor_type="system", actor_id=None,
                              kind="notice", details={"category": CATEGORY, "account_id": account_id,
                                                      "title": title, "body": body, "reason": reason}))
