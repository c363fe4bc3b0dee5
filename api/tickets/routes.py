"""Tickets: residents open and follow theirs; staff work their departments' queues."""

from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, current_staff, paged, window
from api.tickets.schemas import (
    EVENT_EXAMPLE,
    MESSAGE_EXAMPLE,
    NEW_TICKET_EXAMPLE,
    TICKET_EXAMPLE,
    AssignSchema,
    MessageSchema,
    MyTicketsQuerySchema,
    NewMessageSchema,
    NewTicketSchema,
    QueueQuerySchema,
    ReasonSchema,
    RequesterDetailsSchema,
    RequesterTicketSchema,
    StaffTicketSchema,
    StepSchema,
    TicketEventSchema,
    TicketSchema,
    TransferSchema,
)
from app.acting.models import HANDLE_TICKETS
from app.errors import NotFound
from app.identity.models import L1
from app.ratings import ticket_view
from app.staff.models import SUPERVISOR
from app.tickets import errors as te
from app.tickets import lifecycle, messages, queues, read_models, requester

blp = Blueprint("tickets", __name__, url_prefix="/api/v1", description="工单")

STAFF_TICKET_EXAMPLE = {**TICKET_EXAMPLE, "assignee_id": 2, "entity_uscc": None,
                        "actions": ["await_requester", "resolve", "transfer"]}


def _me() -> int:
    return current_principal().account_id


@blp.route("/tickets")
class MyTickets(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.arguments(MyTicketsQuerySchema, location="query")
    @blp.response(200, TicketSchema(many=True), example=[TICKET_EXAMPLE])
    @blp.errors(NotFound)
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, args, pagination_parameters):
        """My tickets, newest first; or, with entity_uscc, all of that company's tickets."""
        return paged(pagination_parameters,
                     read_models.my_tickets(_me(), args.get("entity_uscc"), window(pagination_parameters)))

    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.arguments(NewTicketSchema, example=NEW_TICKET_EXAMPLE)
    @blp.response(201, TicketSchema, example={**TICKET_EXAMPLE, "state": "new", "handler": None})
    @blp.errors(NotFound)
    def post(self, body):
        """Open a ticket about a service (needs a bound phone, L1, so staff can reach me)."""
        return read_models.for_requester(lifecycle.open_ticket(_me(), **body))


@blp.route("/tickets/<int:ticket_id>")
class MyTicket(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.response(200, RequesterTicketSchema, example={**TICKET_EXAMPLE, "rating": None})
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """One of my tickets, with its deadlines."""
        return ticket_view.requester_view(_me(), ticket_id)


@blp.route("/tickets/<int:ticket_id>/events")
class MyTicketEvents(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.response(200, TicketEventSchema(many=True), example=[EVENT_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """My ticket's history (staff appear by display name)."""
        return read_models.requester_events(_me(), ticket_id)


@blp.route("/tickets/<int:ticket_id>/messages")
class MyTicketMessages(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.response(200, MessageSchema(many=True), example=[MESSAGE_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """The conversation on my ticket."""
        return messages.requester_thread(_me(), ticket_id)

    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.arguments(NewMessageSchema, example={"body": "补充：我的身份证是2016年办的。"})
    @blp.response(201, MessageSchema, example={**MESSAGE_EXAMPLE, "author_type": "requester",
                                               "author_name": "申请人"})
    @blp.errors(NotFound, te.TicketClosed)
    def post(self, body, ticket_id):
        """Write on my ticket (a ticket waiting for me goes back to the staff)."""
        return messages.post_as_requester(_me(), ticket_id, body["body"])


@blp.route("/tickets/<int:ticket_id>/reopen")
class ReopenTicket(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.arguments(ReasonSchema, example={"reason": "按答复办理后仍无法换领"})
    @blp.response(200, TicketSchema, example=TICKET_EXAMPLE)
    @blp.errors(NotFound, te.ReopenWindowClosed, te.IllegalTransition)
    def post(self, body, ticket_id):
        """Reopen my resolved ticket, within 7 days of its resolution."""
        return read_models.for_requester(lifecycle.reopen(_me(), ticket_id, body["reason"]))


@blp.route("/tickets/<int:ticket_id>/close")
class CloseTicket(MethodView):
    @blp.auth(L1, acting=HANDLE_TICKETS)
    @blp.response(200, TicketSchema, example={**TICKET_EXAMPLE, "state": "closed"})
    @blp.errors(NotFound, te.IllegalTransition)
    def post(self, ticket_id):
        """Confirm my resolved ticket is done."""
        return read_models.for_requester(lifecycle.close_by_requester(_me(), ticket_id))


@blp.route("/staff/tickets")
class StaffQueue(MethodView):
    @blp.staff()
    @blp.arguments(QueueQuerySchema, location="query")
    @blp.response(200, StaffTicketSchema(many=True), example=[STAFF_TICKET_EXAMPLE])
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """My departments' tickets by department, state, overdue and assignee, earliest deadline first."""
        return paged(pagination_parameters, queues.queue(current_staff(), window=window(pagination_parameters), **args))


@blp.route("/staff/sla-watch")
class SlaWatch(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, StaffTicketSchema(many=True), example=[{**STAFF_TICKET_EXAMPLE, "overdue": True,
                                                               "at_risk": False}])
    def get(self):
        """Open tickets past a deadline, or due before the end of the next working day (supervisor)."""
        return queues.sla_watch(current_staff())


@blp.route("/staff/tickets/<int:ticket_id>")
class StaffTicket(MethodView):
    @blp.staff()
    @blp.response(200, StaffTicketSchema, example=STAFF_TICKET_EXAMPLE)
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """A ticket of my departments."""
        return read_models.staff_view(current_staff(), ticket_id)


@blp.route("/staff/tickets/<int:ticket_id>/events")
class StaffTicketEvents(MethodView):
    @blp.staff()
    @blp.response(200, TicketEventSchema(many=True), example=[EVENT_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """The ticket's event log."""
        return read_models.staff_events(current_staff(), ticket_id)


@blp.route("/staff/tickets/<int:ticket_id>/messages")
class StaffTicketMessages(MethodView):
    @blp.staff()
    @blp.response(200, MessageSchema(many=True), example=[MESSAGE_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """The conversation with the requester."""
        return messages.staff_thread(current_staff(), ticket_id)

    @blp.staff()
    @blp.arguments(NewMessageSchema, example={"body": "请携带原身份证到任一派出所办理。"})
    @blp.response(201, MessageSchema, example=MESSAGE_EXAMPLE)
    @blp.errors(NotFound, te.TicketClosed)
    def post(self, body, ticket_id):
        """Reply to the requester (the first reply is the SLA's first response)."""
        return messages.post_as_staff(current_staff(), ticket_id, body["body"])


@blp.route("/staff/tickets/<int:ticket_id>/claim")
class ClaimTicket(MethodView):
    @blp.staff()
    @blp.response(200, StaffTicketSchema, example={**STAFF_TICKET_EXAMPLE, "state": "assigned"})
    @blp.errors(NotFound, te.IllegalTransition)
    def post(self, ticket_id):
        """Take a new ticket for myself."""
        staff = current_staff()
        return read_models.for_staff(lifecycle.claim(staff, ticket_id), staff)


@blp.route("/staff/tickets/<int:ticket_id>/assignment")
class AssignTicket(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(AssignSchema, example={"staff_id": 2})
    @blp.response(200, StaffTicketSchema, example={**STAFF_TICKET_EXAMPLE, "state": "assigned"})
    @blp.errors(NotFound, te.IllegalTransition, te.AssigneeNotInDepartment)
    def put(self, body, ticket_id):
        """Assign the ticket to a member of its department (supervisor)."""
        staff = current_staff()
        return read_models.for_staff(lifecycle.assign(staff, ticket_id, body["staff_id"]), staff)


@blp.route("/staff/tickets/<int:ticket_id>/transitions")
class TicketTransitions(MethodView):
    @blp.staff()
    @blp.arguments(StepSchema, example={"action": "resolve", "note": "已电话告知办理流程"})
    @blp.response(200, StaffTicketSchema, example={**STAFF_TICKET_EXAMPLE, "state": "resolved"})
    @blp.errors(NotFound, te.IllegalTransition, te.ReopenWindowOpen, te.NotAssignee, te.ResolutionNoteRequired)
    def post(self, body, ticket_id):
        """Move the ticket on: start, await_requester, resume, resolve (with a note), close (assignee or supervisor)."""
        staff = current_staff()
        return read_models.for_staff(lifecycle.step(staff, ticket_id, body["action"], body.get("note")), staff)


@blp.route("/staff/tickets/<int:ticket_id>/transfer")
class TransferTicket(MethodView):
    @blp.staff()
    @blp.arguments(TransferSchema, example={"department_id": 2, "reason": "属社保卡业务，转人社厅办理"})
    @blp.response(200, StaffTicketSchema, example={**STAFF_TICKET_EXAMPLE, "state": "new"})
    @blp.errors(NotFound, te.IllegalTransition, te.SameDepartment, te.NotAssignee)
    def post(self, body, ticket_id):
        """Send the ticket to another department, with a reason (its assignee, a supervisor, or anyone
        of the department while it is unassigned); it leaves my queue."""
        staff = current_staff()
        return read_models.for_staff(lifecycle.transfer(staff, ticket_id, body["department_id"], body["reason"]), staff)


@blp.route("/staff/tickets/<int:ticket_id>/requester")
class TicketRequester(MethodView):
    @blp.staff()
    @blp.response(200, RequesterDetailsSchema, example={"ticket_id": 12, "name": "张三", "phone": "13800138000",
                                                        "contact_preference": "phone"})
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """The requester's name and phone, to contact them (recorded in their access log)."""
        return requester.reveal_requester(current_staff(), ticket_id)
