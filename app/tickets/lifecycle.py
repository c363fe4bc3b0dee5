"""The ticket lifecycle: open, assign / claim, work, ask the requester, resolve, close, reopen,
transfer. Every change is one use case that writes a ticket event; an action not allowed from
the current state is ``illegal_transition`` (409, details action/from/to).

    new → assigned → in_progress ⇄ awaiting_requester → resolved → closed
    resolved → in_progress (reopen, by the requester, within 7 days of resolution)
    new/assigned/in_progress/awaiting_requester → new in another department (transfer)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app import clock
from app.db import session, transactional
from app.entities.acting import require_acting
from app.errors import ValidationFailed
from app.staff.accounts import department_ids
from app.staff.auth import StaffPrincipal
from app.staff.catalogue import get_department, get_service
from app.staff.errors import RoleRequired
from app.staff.models import SUPERVISOR
from app.tickets import errors, sla
from app.tickets.access import requester_ticket, staff_ticket
from app.tickets.models import Ticket, TicketEvent
from app.tickets.notices import tell_requester

NEW, ASSIGNED, IN_PROGRESS, AWAITING = "new", "assigned", "in_progress", "awaiting_requester"
RESOLVED, CLOSED = "resolved", "closed"
STATES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING, RESOLVED, CLOSED)
OPEN_STATES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING)
STATE_NAMES = {NEW: "待受理", ASSIGNED: "已分派", IN_PROGRESS: "处理中", AWAITING: "待补充",
               RESOLVED: "已办结", CLOSED: "已关闭"}
CONTACT_PREFERENCES = ("message", "phone", "none")
REOPEN_WINDOW = timedelta(days=7)

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({NEW, ASSIGNED}), ASSIGNED),
    "claim": (frozenset({NEW}), ASSIGNED),
    "start": (frozenset({ASSIGNED}), IN_PROGRESS),
    "await_requester": (frozenset({IN_PROGRESS}), AWAITING),
    "resume": (frozenset({AWAITING}), IN_PROGRESS),
    "resolve": (frozenset({IN_PROGRESS}), RESOLVED),
    "close": (frozenset({RESOLVED}), CLOSED),
    "reopen": (frozenset({RESOLVED}), IN_PROGRESS),
    "transfer": (frozenset(OPEN_STATES), NEW),
}
# Work steps any assignee (or a supervisor) takes through the transitions endpoint.
STAFF_STEPS = ("start", "await_requester", "resume", "resolve", "close")
# Everything staff may do to a ticket, in the order a console offers it (``staff_actions``).
STAFF_ACTIONS = ("claim", "assign", *STAFF_STEPS, "transfer")
# What each event of a ticket's log is called where people read it.
EVENT_LABELS = {
    "opened": "提交工单", "claim": "认领", "assign": "分派", "start": "开始办理", "await_requester": "请申请人补充",
    "resume": "继续办理", "resolve": "办结", "close": "关闭", "reopen": "重新打开", "transfer": "转交",
    "notice": "通知申请人", "rated": "评价", "rerated": "再评价",
}


def reopen_until(ticket: Ticket) -> datetime | None:
    return ticket.resolved_at + REOPEN_WINDOW if ticket.state == RESOLVED and ticket.resolved_at else None


def move(ticket: Ticket, action: str, actor_type: str, actor_id: int | None,
          details: dict[str, Any] | None = None) -> None:
    allowed, to_state = TRANSITIONS[action]
    if ticket.state not in allowed:
        raise errors.IllegalTransition(f"工单当前为“{STATE_NAMES[ticket.state]}”，不能执行此操作",
                                       details={"action": action, "from": ticket.state, "to": to_state})
    now = clock.now()
    session().add(TicketEvent(ticket_id=ticket.id, at=now, actor_type=actor_type, actor_id=actor_id, kind=action,
                              from_state=ticket.state, to_state=to_state, details=details or {}))
    ticket.state, ticket.updated_at = to_state, now


@transactional
def open_ticket(account_id: int, *, kind: str, service_id: int, title: str, description: str,
                contact_preference: str, entity_uscc: str | None = None) -> Ticket:
    """Open a ticket; with ``entity_uscc``, for that entity, as its legal representative or an agent
    holding ``manage_tickets`` (anyone else gets the same 404 as an unknown entity)."""
    if entity_uscc is not None:
        entity_uscc = require_acting(account_id, entity_uscc, "manage_tickets").entity.uscc
    if kind not in sla.KINDS:
        raise ValidationFailed("工单类型无效", details={"kind": kind})
    if contact_preference not in CONTACT_PREFERENCES:
        raise ValidationFailed("联系方式偏好无效", details={"contact_preference": contact_preference})
    service = get_service(service_id)
    now = clock.now()
    first, resolution = sla.first_response_deadline(now), sla.resolution_deadline(kind, now)
    ticket = Ticket(requester_id=account_id, kind=kind, service_id=service.id, department_id=service.department_id,
                    title=title, description=description, contact_preference=contact_preference, state=NEW,
                    entity_uscc=entity_uscc,
                    created_at=now, updated_at=now, first_response_due=first.due, resolution_due=resolution.due,
                    sla_estimated=first.estimated or resolution.estimated)
    session().add(ticket)
    session().flush()
    session().add(TicketEvent(ticket_id=ticket.id, at=now, actor_type="requester", actor_id=account_id,
                              kind="opened", from_state=None, to_state=NEW,
                              details={"department_id": service.department_id, "service_id": service.id,
                                       **({"entity_uscc": entity_uscc} if entity_uscc else {})}))
    return ticket


def _require_handler(ticket: Ticket, staff: StaffPrincipal) -> None:
    if ticket.assignee_id != staff.staff_id and not staff.has_role(SUPERVISOR):
        raise errors.NotAssignee()


@transactional
def claim(staff: StaffPrincipal, ticket_id: int) -> Ticket:
    ticket = staff_ticket(staff, ticket_id)
    move(ticket, "claim", "staff", staff.staff_id, {"assignee_id": staff.staff_id})
    ticket.assignee_id = staff.staff_id
    return ticket


@transactional
def assign(staff: StaffPrincipal, ticket_id: int, assignee_id: int) -> Ticket:
    """A supervisor hands the ticket to a member of its department."""
    ticket = staff_ticket(staff, ticket_id)
    if not staff.has_role(SUPERVISOR):
        raise RoleRequired("只有主管可以分派工单")
    if ticket.department_id not in department_ids(assignee_id):
        raise errors.AssigneeNotInDepartment(details={"assignee_id": assignee_id})
    move(ticket, "assign", "staff", staff.staff_id, {"assignee_id": assignee_id, "previous": ticket.assignee_id})
    ticket.assignee_id = assignee_id
    return ticket


NOTICES = {
    "await_requester": ("工单需要您补充信息", "工作人员需要您补充信息，请在工单中回复。"),
    "resolve": ("工单已办结", "您的工单已办结，欢迎评价。如问题未解决，可在7天内重新打开。"),
    "close": ("工单已关闭", "您的工单已关闭。"),
}


def staff_actions(staff: StaffPrincipal, ticket: Ticket) -> list[str]:
    """What the staff member may do to the ticket now: exactly the actions the API would accept
    (a test holds this for every state), so a console offers nothing that would be refused."""
    handler = ticket.assignee_id == staff.staff_id or staff.has_role(SUPERVISOR)

    def may(action: str) -> bool:
        if ticket.state not in TRANSITIONS[action][0]:
            return False
        if action == "assign":
            return staff.has_role(SUPERVISOR)
        if action == "transfer":
            return ticket.assignee_id is None or handler
        if action == "close":
            return handler and clock.now() >= reopen_until(ticket)
        return action == "claim" or handler

    return [action for action in STAFF_ACTIONS if may(action)]


@transactional
def step(staff: StaffPrincipal, ticket_id: int, action: str, note: str | None = None) -> Ticket:
    """start, await_requester, resume, resolve or close, by the assignee or a supervisor; resolving
    says how (the note the requester is told and a rating is read against)."""
    if action not in STAFF_STEPS:
        raise ValidationFailed("操作无效", details={"action": action})
    ticket = staff_ticket(staff, ticket_id)
    _require_handler(ticket, staff)
    if action == "close" and ticket.state == RESOLVED and clock.now() < reopen_until(ticket):
        raise errors.ReopenWindowOpen()
    note = note.strip() if note else None
    if action == "resolve" and ticket.state in TRANSITIONS[action][0] and not note:
        raise errors.ResolutionNoteRequired()
    move(ticket, action, "staff", staff.staff_id, {"note": note} if note else None)
    now = clock.now()
    if action == "resolve":
        ticket.resolved_at, ticket.resolved_by = now, staff.staff_id
        if ticket.first_response_at is None:
            ticket.first_response_at = now
    elif action == "close":
        ticket.closed_at = now
    if action in NOTICES:
        tell_requester(ticket.id, ticket.requester_id, *NOTICES[action], reason=action)
    return ticket


@transactional
def transfer(staff: StaffPrincipal, ticket_id: int, department_id: int, reason: str) -> Ticket:
    """Send the ticket to another department: it starts there as new, with the same deadlines.

    An unassigned ticket may be sent on by anyone of its department (triage); once someone holds
    it, only they or a supervisor may."""
    ticket = staff_ticket(staff, ticket_id)
    if ticket.assignee_id is not None:
        _require_handler(ticket, staff)
    target = get_department(department_id)
    if target.id == ticket.department_id:
        raise errors.SameDepartment()
    move(ticket, "transfer", "staff", staff.staff_id,
          {"from_department_id": ticket.department_id, "to_department_id": target.id, "reason": reason})
    ticket.department_id, ticket.assignee_id = target.id, None
    tell_requester(ticket.id, ticket.requester_id, "工单已转交", f"您的工单已转交{target.name}办理。",
                   reason="transfer")
    return ticket


@transactional
def reopen(account_id: int, ticket_id: int, reason: str) -> Ticket:
    ticket = requester_ticket(account_id, ticket_id)
    if ticket.state == RESOLVED and clock.now() > reopen_until(ticket):
        raise errors.ReopenWindowClosed(details={"reopen_until": reopen_until(ticket).isoformat()})
    move(ticket, "reopen", "requester", account_id, {"reason": reason})
    ticket.resolved_at = ticket.resolved_by = None
    return ticket


@transactional
def close_by_requester(account_id: int, ticket_id: int) -> Ticket:
    ticket = requester_ticket(account_id, ticket_id)
    move(ticket, "close", "requester", account_id)
    ticket.closed_at = clock.now()
    return ticket
