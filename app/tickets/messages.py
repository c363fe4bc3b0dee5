"""The message thread between a requester and the staff working their ticket.

The requester sees each staff author as residents see staff everywhere (department and number,
``app.staff.labels``), never by username or name; staff see each other's display names. A requester's
message on a ticket waiting for them puts it back in progress; the first staff message is the
first response the SLA measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock
from app.db import session, transactional
from app.staff.auth import StaffPrincipal
from app.staff.labels import staff_label
from app.staff.models import Department, StaffMember
from app.tickets import errors, lifecycle
from app.tickets.access import requester_ticket, staff_ticket
from app.tickets.models import Ticket, TicketMessage
from app.tickets.notices import tell_requester


@dataclass(frozen=True)
class MessageView:
    id: int
    at: datetime
    author_type: str
    author_name: str
    body: str


def _thread(ticket: Ticket, *, requester: bool = False) -> list[MessageView]:
    rows = session().execute(
        select(TicketMessage, StaffMember.display_name)
        .outerjoin(StaffMember, StaffMember.id == TicketMessage.staff_id)
        .where(TicketMessage.ticket_id == ticket.id)
        .order_by(TicketMessage.id)
    ).all()
    def author(m: TicketMessage, name: str | None) -> str:
        if m.author_type != "staff":
            return "申请人"
        return _staff_as_residents_see(ticket, m.staff_id) if requester else name or ""

    return [MessageView(m.id, m.at, m.author_type, author(m, name), m.body) for m, name in rows]


def _staff_as_residents_see(ticket: Ticket, staff_id: int | None) -> str:
    return staff_label(session().get(Department, ticket.department_id).name, staff_id)


def _check_open(ticket: Ticket) -> None:
    if ticket.state == lifecycle.CLOSED:
        raise errors.TicketClosed()


def requester_thread(account_id: int, ticket_id: int) -> list[MessageView]:
    return _thread(requester_ticket(account_id, ticket_id), requester=True)


def staff_thread(staff: StaffPrincipal, ticket_id: int) -> list[MessageView]:
    return _thread(staff_ticket(staff, ticket_id))


@transactional
def post_as_requester(account_id: int, ticket_id: int, body: str) -> MessageView:
    ticket = requester_ticket(account_id, ticket_id)
    _check_open(ticket)
    message = TicketMessage(ticket_id=ticket.id, at=clock.now(), author_type="requester", body=body)
    session().add(message)
    if ticket.state == lifecycle.AWAITING:
        lifecycle.move(ticket, "resume", "requester", account_id)
    session().flush()
    return MessageView(message.id, message.at, "requester", "申请人", body)


@transactional
def post_as_staff(staff: StaffPrincipal, ticket_id: int, body: str) -> MessageView:
    ticket = staff_ticket(staff, ticket_id)
    _check_open(ticket)
    now = clock.now()
    message = TicketMessage(ticket_id=ticket.id, at=now, author_type="staff", staff_id=staff.staff_id, body=body)
    session().add(message)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    ticket.updated_at = now
    replied = f"{_staff_as_residents_see(ticket, staff.staff_id)}回复了您的工单。"
    tell_requester(ticket.id, ticket.requester_id, "工单有新回复", replied, reason="reply")
    session().flush()
    return MessageView(message.id, message.at, "staff", staff.display_name, body)
