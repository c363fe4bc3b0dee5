"""Telling a requester about their ticket (or a rater about their rating): the one place every
ticket notice goes through. A company's ticket is told to everyone acting for the company with
``manage_tickets`` as well as to the person who opened it.

Each notice is recorded on the ticket's event log and put in the requester's push inbox (category
``tickets``, so the preference switch for tickets covers it), with WeChat's one-time ``notice``
template where the requester has consented. The dedupe key is the ticket event, so a notice is in
the inbox exactly once.
"""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.db import session
from app.entities.acting import accounts_acting_for
from app.entities.lifecycle import find_entity
from app.push.content import WeChatMessage
from app.push.fitting import fit_value
from app.push.notify import notify
from app.push.rules import load_templates
from app.tickets.models import Ticket, TicketEvent

CATEGORY = "tickets"


def tell_requester(ticket_id: int, account_id: int, title: str, body: str, *, reason: str) -> None:
    """Record a notice for the requester and put it in their inbox, inside the caller's transaction."""
    event = TicketEvent(ticket_id=ticket_id, at=clock.now(), actor_type="system", actor_id=None,
                        kind="notice", details={"category": CATEGORY, "account_id": account_id,
                                                "title": title, "body": body, "reason": reason})
    session().add(event)
    session().flush()
    _notify([account_id, *_company_colleagues(ticket_id)], title, body, page=f"pages/tickets/detail?id={ticket_id}",
            rule_id="ticket_notice", trigger=f"工单{reason}", reason=reason, dedupe_key=f"ticket_notice:{event.id}")


def _company_colleagues(ticket_id: int) -> list[int]:
    """For a company's ticket: everyone acting for the company with ``manage_tickets`` now."""
    uscc = session().scalar(select(Ticket.entity_uscc).where(Ticket.id == ticket_id))
    entity = find_entity(uscc) if uscc else None
    return accounts_acting_for(entity.id, "manage_tickets") if entity else []


def tell_rater(rating_id: int, account_id: int, title: str, body: str, *, reason: str) -> None:
    """Tell the author of a service rating (no ticket to log it on): once per rating and reason."""
    _notify([account_id], title, body, page="pages/ratings/mine", rule_id="rating_notice", trigger=f"评价{reason}",
            reason=reason, dedupe_key=f"rating_notice:{rating_id}:{reason}")


def _notify(account_ids: list[int], title: str, body: str, *, page: str, rule_id: str, trigger: str, reason: str,
            dedupe_key: str) -> None:
    template = load_templates()["notice"]
    message = WeChatMessage(template.template_id, template.kind,
                            {"thing1": fit_value("thing", title), "thing2": fit_value("thing", body)})
    notify(account_ids, category=CATEGORY, title=title, body=body, page=page,
           why={"rule": {"id": rule_id, "version": 1, "trigger": trigger}, "facts": {"reason": reason}},
           dedupe_key=dedupe_key, rule_id=rule_id, template=message)
