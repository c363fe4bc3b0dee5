"""Who may see a ticket: its requester, and staff of the department that holds it. A company's
ticket is also the business of whoever acts for the company with ``manage_tickets`` now (its
legal representative and those agents); rating it stays with the person who opened it.

Anyone else gets ``not_found``, the same answer as for a ticket that does not exist, so the
answer never reveals another department's (or another resident's) tickets.
"""

from __future__ import annotations

from app.db import session
from app.entities.acting import require_acting
from app.errors import NotFound
from app.staff.auth import StaffPrincipal
from app.tickets.models import Ticket


def staff_ticket(staff: StaffPrincipal, ticket_id: int) -> Ticket:
    ticket = session().get(Ticket, ticket_id)
    if ticket is None or ticket.department_id not in staff.department_ids:
        raise NotFound()
    return ticket


def requester_ticket(account_id: int, ticket_id: int, *, opener_only: bool = False) -> Ticket:
    ticket = session().get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound()
    if ticket.requester_id == account_id:
        return ticket
    if opener_only or ticket.entity_uscc is None:
        raise NotFound()
    require_acting(account_id, ticket.entity_uscc, "manage_tickets")  # the same 404 otherwise
    return ticket
