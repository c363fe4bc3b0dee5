"""Staff opening a requester's contact details: each reveal is in the resident's access log."""

from __future__ import annotations

from typing import Any

from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.db import transactional
from app.identity import accounts
from app.staff.auth import StaffPrincipal
from app.tickets.access import staff_ticket


@transactional
def reveal_requester(staff: StaffPrincipal, ticket_id: int) -> dict[str, Any]:
    ticket = staff_ticket(staff, ticket_id)
    account = accounts.get_account(ticket.requester_id)
    identity = accounts.real_name(account)
    name = identity[0] if identity else None
    phone = accounts.phone(account)
    read = [field for field, value in (("name", name), ("phone", phone)) if value]
    record_read(account.id, by=Actor("staff", str(staff.staff_id)), data=read, purpose="ticket_contact",
                ticket_id=ticket.id, department_id=ticket.department_id)
    return {"ticket_id": ticket.id, "name": name, "phone": phone, "contact_preference": ticket.contact_preference}
