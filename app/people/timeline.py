"""The life-event timeline: events from authorities (by intake) and from the resident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.identity.sessions import Principal
from app.paging import Page, Window, fetch_page
from app.people import errors
from app.people.events_catalogue import event_type, validate_payload
from app.people.models import LifeEvent, Person
from app.people.persons import person_of_account


@dataclass(frozen=True)
class LifeEventView:
    id: int
    type: str
    occurred_on: date
    source: str  # authority | self
    payload: dict[str, Any]
    recorded_at: datetime


def event_view(event: LifeEvent) -> LifeEventView:
    return LifeEventView(event.id, event.type, event.occurred_on, event.source, event.payload, event.recorded_at)


def record_authority_event(person: Person, type_name: str, occurred_on: date, payload: dict[str, Any],
                           *, authority_id: str, record_id: str) -> LifeEvent:
    """Insert or update the event behind one intake record (a newer version replaces it)."""
    kind = event_type(type_name)
    payload = validate_payload(kind, payload)
    s = session()
    event = s.scalars(select(LifeEvent).where(LifeEvent.authority_id == authority_id,
                                              LifeEvent.source_record_id == record_id)).first()
    if event is None:
        event = LifeEvent(authority_id=authority_id, source_record_id=record_id, source="authority")
        s.add(event)
    event.person_id, event.type, event.occurred_on = person.id, kind.name, occurred_on
    event.payload, event.recorded_at = payload, clock.now()
    s.flush()
    return event


def births_of(person_id: int, since: date) -> list[LifeEvent]:
    """The birth events authorities recorded for a person, dated ``since`` or later."""
    return list(session().scalars(select(LifeEvent).where(
        LifeEvent.person_id == person_id, LifeEvent.type == "birth", LifeEvent.occurred_on >= since)
        .order_by(LifeEvent.id)))


@transactional
def report_event(principal: Principal, type_name: str, occurred_on: date, payload: dict[str, Any]) -> LifeEventView:
    """A resident adds an event of a self-reportable type to their own timeline."""
    kind = event_type(type_name)
    if not kind.self_reportable:
        raise errors.LifeEventNotSelfReportable(details={"type": kind.name})
    if occurred_on > clock.today():
        raise errors.LifeEventDateInFuture()
    person = person_of_account(principal.account_id)
    event = LifeEvent(person_id=person.id, type=kind.name, occurred_on=occurred_on, source="self",
                      payload=validate_payload(kind, payload), recorded_at=clock.now())
    session().add(event)
    session().flush()
    audit_log.record("people.life_event_reported", actor=Actor("resident", str(principal.account_id)),
                     subject_type="account", subject_id=principal.account_id,
                     details={"event_id": event.id, "type": kind.name})
    return event_view(event)


def my_events(principal: Principal, window: Window) -> Page[LifeEventView]:
    """Newest first (by event date, then by when it was recorded)."""
    person = person_of_account(principal.account_id)
    statement = (select(LifeEvent).where(LifeEvent.person_id == person.id)
                 .order_by(LifeEvent.occurred_on.desc(), LifeEvent.id.desc()))
    return fetch_page(session(), statement, window, event_view)
