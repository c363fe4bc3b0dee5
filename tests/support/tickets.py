"""Tickets opened and moved through app/, for tests that start from a given state."""

from __future__ import annotations

from app.tickets import lifecycle
from app.tickets.models import Ticket
from tests.support.staff import StaffUser, service_id

# The steps that lead from new to each state (claim by the handler; the rest by the handler).
PATH = {
    "new": [],
    "assigned": ["claim"],
    "in_progress": ["claim", "start"],
    "awaiting_requester": ["claim", "start", "await_requester"],
    "resolved": ["claim", "start", "resolve"],
    "closed": ["claim", "start", "resolve", "requester_close"],
}


RESOLUTION_NOTE = "已电话告知办理所需材料"


def open_ticket(account_id: int, kind: str = "consultation", service: str = "gd-gat-sfz-hl") -> Ticket:
    return lifecycle.open_ticket(account_id, kind=kind, service_id=service_id(service), title="身份证换领材料",
                                 description="需要带什么材料？", contact_preference="phone")


def drive(ticket: Ticket, handler: StaffUser, state: str) -> Ticket:
    principal = handler.principal
    for action in PATH[state]:
        if action == "claim":
            ticket = lifecycle.claim(principal, ticket.id)
        elif action == "requester_close":
            ticket = lifecycle.close_by_requester(ticket.requester_id, ticket.id)
        else:
            ticket = lifecycle.step(principal, ticket.id, action, RESOLUTION_NOTE if action == "resolve" else None)
    return ticket


def ticket_in_state(account_id: int, handler: StaffUser, state: str, **kwargs) -> Ticket:
    return drive(open_ticket(account_id, **kwargs), handler, state)
