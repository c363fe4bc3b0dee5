"""A proxy grant recorded at the counter for someone who cannot use a phone: the hall officer has
checked the grantor and their ID card in person, and records through acting's one way in
(``app.acting.grants.grant``) with the officer as ``recorded_by`` and the hall in the details.

The grantor need not have an account: a grant is held by the person (the records authorities sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.acting.grants import grant
from app.audit import log as audit_log
from app.audit.disclosures import record_read
from app.db import session, transactional
from app.halls.errors import PersonNotFound
from app.halls.officers import Desk
from app.identity.id_number import parse_id_number
from app.people.models import Person
from app.people.persons import find_person

ACTION = "acting.grant"


@dataclass(frozen=True)
class RecordedGrant:
    id: int
    scopes: list[str]
    expires_at: datetime
    recorded_by: str


def record_grant(desk: Desk, grantor_id_number: str, grantee_name: str, grantee_id_number: str,
                 scopes: list[str], expires_at: datetime) -> RecordedGrant:
    number = parse_id_number(grantor_id_number, today=clock.today()).number
    person = find_person(number)
    if person is None:  # audited outside the transaction, so the refusal keeps its trace
        audit_log.record_failure(ACTION, actor=desk.actor, outcome="person_not_found", details=desk.refs())
        raise PersonNotFound()
    return _recorded(desk, person.id, grantee_name, grantee_id_number, scopes, expires_at)


@transactional
def _recorded(desk: Desk, person_id: int, grantee_name: str, grantee_id_number: str, scopes: list[str],
              expires_at: datetime) -> RecordedGrant:
    person = session().get(Person, person_id)
    row = grant(person, grantee_name, grantee_id_number, scopes, expires_at, recorded_by=desk.actor,
                details={**desk.refs(), "check": "in_person"})
    if person.account_id is not None:  # the grantor's data tracker, when they have one
        record_read(person.account_id, by=desk.actor, data=["name", "id_number"], purpose="in_person_check",
                    **desk.refs())
    return RecordedGrant(row.id, list(row.scopes), row.expires_at, row.recorded_by_type)
