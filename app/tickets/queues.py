"""Staff queues: a department's tickets by state, overdue, assignee; the supervisor's SLA queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, or_, select

from app import clock
from app.db import session
from app.paging import Page, Window, fetch_page
from app.staff.auth import StaffPrincipal
from app.tickets import sla
from app.tickets.lifecycle import OPEN_STATES
from app.tickets.models import Ticket
from app.tickets.read_models import for_staff


def queue(staff: StaffPrincipal, *, department_id: int | None = None, state: str | None = None,
          overdue: bool | None = None, assignee: str | None = None,
          window: Window = Window(0, 20)) -> Page[dict[str, Any]]:
    """One page of the tickets the staff member may see: open ones first, earliest deadline first.

    ``assignee``: "me", "none" (unassigned) or a staff id.
    """
    now = clock.now()
    departments = [d for d in staff.department_ids if department_id in (None, d)]
    conditions = [Ticket.department_id.in_(departments)]
    if state:
        conditions.append(Ticket.state == state)
    breached = and_(Ticket.state.in_(OPEN_STATES),
                    or_(Ticket.resolution_due < now,
                        and_(Ticket.first_response_at.is_(None), Ticket.first_response_due < now)))
    if overdue is not None:
        conditions.append(breached if overdue else ~breached)
    if assignee == "me":
        conditions.append(Ticket.assignee_id == staff.staff_id)
    elif assignee == "none":
        conditions.append(Ticket.assignee_id.is_(None))
    elif assignee:
        conditions.append(Ticket.assignee_id == int(assignee))
    # Open work first, earliest deadline first; finished tickets after it, latest first.
    finished = case((Ticket.state.in_(OPEN_STATES), 0), else_=1)
    statement = select(Ticket).where(*conditions).order_by(
        finished, case((finished == 0, Ticket.resolution_due)), Ticket.updated_at.desc(), Ticket.id)
    return fetch_page(session(), statement, window, lambda ticket: for_staff(ticket, staff))


def sla_watch(staff: StaffPrincipal) -> list[dict[str, Any]]:
    """Open tickets past a deadline or due before the end of the next working day."""
    now = clock.now()
    horizon = sla.at_risk_horizon(now)
    stmt = (select(Ticket)
            .where(Ticket.department_id.in_(staff.department_ids), Ticket.state.in_(OPEN_STATES),
                   or_(Ticket.resolution_due <= horizon,
                       and_(Ticket.first_response_at.is_(None), Ticket.first_response_due <= horizon)))
            .order_by(Ticket.resolution_due, Ticket.id))
    items = []
    for ticket in session().scalars(stmt):
        view = for_staff(ticket, staff)
        view["at_risk"] = not view["overdue"]
        items.append(view)
    return items
