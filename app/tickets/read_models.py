"""What requesters and staff see of a ticket: SLA flags computed against the clock, staff shown
to requesters by display name only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.db import session
from app.entities.acting import require_acting
from app.paging import Page, Window, fetch_page
from app.staff.auth import StaffPrincipal
from app.staff.labels import staff_label
from app.staff.models import Department, Service, StaffMember
from app.tickets.access import requester_ticket, staff_ticket
from app.tickets.lifecycle import EVENT_LABELS, OPEN_STATES, reopen_until, staff_actions
from app.tickets.models import Ticket, TicketEvent


def sla_flags(ticket: Ticket, now: datetime) -> dict[str, bool]:
    responded = ticket.first_response_at or now
    finished = ticket.resolved_at or ticket.closed_at or now
    first_late, resolution_late = responded > ticket.first_response_due, finished > ticket.resolution_due
    return {"first_response_overdue": first_late, "resolution_overdue": resolution_late,
            "overdue": ticket.state in OPEN_STATES and (resolution_late or
                                                        (ticket.first_response_at is None and first_late))}


def _names(ticket: Ticket) -> tuple[str, str, str | None]:
    s = session()
    assignee = s.get(StaffMember, ticket.assignee_id) if ticket.assignee_id else None
    return (s.get(Service, ticket.service_id).name, s.get(Department, ticket.department_id).name,
            assignee.display_name if assignee else None)


def _common(ticket: Ticket) -> dict[str, Any]:
    service_name, department_name, handler = _names(ticket)
    return {
        "id": ticket.id, "kind": ticket.kind, "state": ticket.state, "title": ticket.title,
        "description": ticket.description, "contact_preference": ticket.contact_preference,
        "service": {"id": ticket.service_id, "name": service_name},
        "department": {"id": ticket.department_id, "name": department_name},
        "handler": handler, "created_at": ticket.created_at, "updated_at": ticket.updated_at,
        "first_response_due": ticket.first_response_due, "first_response_at": ticket.first_response_at,
        "resolution_due": ticket.resolution_due, "sla_estimated": ticket.sla_estimated,
        "resolved_at": ticket.resolved_at, "reopen_until": reopen_until(ticket), "closed_at": ticket.closed_at,
        "entity_uscc": ticket.entity_uscc,
        **sla_flags(ticket, clock.now()),
    }


def for_requester(ticket: Ticket) -> dict[str, Any]:
    """As the requester sees it: the handler named as everywhere a resident sees staff (by the
    ticket's department and number, app.staff.labels), never by name."""
    common = _common(ticket)
    if ticket.assignee_id:
        common["handler"] = staff_label(common["department"]["name"], ticket.assignee_id)
    return common


def for_staff(ticket: Ticket, staff: StaffPrincipal) -> dict[str, Any]:
    """The ticket as ``staff`` sees it, with the actions they may take on it now."""
    return {**_common(ticket), "assignee_id": ticket.assignee_id, "actions": staff_actions(staff, ticket)}


def staff_view(staff: StaffPrincipal, ticket_id: int) -> dict[str, Any]:
    return for_staff(staff_ticket(staff, ticket_id), staff)


def my_tickets(account_id: int, entity_uscc: str | None = None,
               window: Window = Window(0, 50)) -> Page[dict[str, Any]]:
    """Tickets I opened, newest first; with ``entity_uscc``, the company's tickets whoever opened them
    (for those acting for it with ``manage_tickets``)."""
    if entity_uscc is None:
        stmt = select(Ticket).where(Ticket.requester_id == account_id)
    else:
        uscc = require_acting(account_id, entity_uscc, "manage_tickets").entity.uscc
        stmt = select(Ticket).where(Ticket.entity_uscc == uscc)
    return fetch_page(session(), stmt.order_by(Ticket.id.desc()), window, for_requester)


def _events(ticket: Ticket, *, for_staff_eyes: bool) -> list[dict[str, Any]]:
    rows = session().execute(
        select(TicketEvent, StaffMember.display_name)
        .outerjoin(StaffMember, (TicketEvent.actor_type == "staff") & (StaffMember.id == TicketEvent.actor_id))
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id)
    ).all()
    department = None if for_staff_eyes else session().get(Department, ticket.department_id).name
    views = []
    for event, staff_name in rows:
        if event.actor_type == "staff" and not for_staff_eyes:
            staff_name = staff_label(department, event.actor_id)
        actor = {"requester": "申请人", "system": "系统"}.get(event.actor_type, staff_name)
        view = {"id": event.id, "at": event.at, "kind": event.kind, "label": EVENT_LABELS.get(event.kind, event.kind),
                "from_state": event.from_state,
                "to_state": event.to_state, "actor": actor, "details": dict(event.details)}
        if not for_staff_eyes:
            view["details"].pop("account_id", None)
        views.append(view)
    return views


def requester_events(account_id: int, ticket_id: int) -> list[dict[str, Any]]:
    return _events(requester_ticket(account_id, ticket_id), for_staff_eyes=False)


def staff_events(staff: StaffPrincipal, ticket_id: int) -> list[dict[str, Any]]:
    return _events(staff_ticket(staff, ticket_id), for_staff_eyes=True)
