"""A resident verified just now gets the date-window reminders already open for them at once.

The daily scan (``app.push.scans``) would find them tomorrow; a newcomer whose ID card expires next
month should not wait for it. When identity verifies a real name (``when_verified``, L2: from then
on the person's records are theirs) a job runs every date-window rule for that one person — their
own certificates and birth date, and their children's birthdays — through the scans' own sources,
``plan`` and ``write_notifications``. The dedupe keys are the rules' own, so the daily scan later
writes nothing twice, and neither does a redelivered job.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select

from app import clock
from app.certificates.models import Certificate
from app.db import after_commit, session, transactional
from app.identity.models import Account
from app.identity.realname import when_verified
from app.people.models import HouseholdLink, Person
from app.push.rules import Rule
from app.push.scans import SOURCES, notify_matches, scanned_rules
from app.queue import PUSH, actor


def _subjects(rule: Rule, person_id: int) -> Select | None:
    """The ids of this person's subjects a rule's source scans (None: the rule is about no one of theirs)."""
    subject = rule.trigger.subject
    if subject == "certificate.expires_on":
        return select(Certificate.id).where(Certificate.holder_id == person_id)
    if subject == "age" and rule.recipients == "self":
        return select(Person.id).where(Person.id == person_id)
    if subject == "age":  # a parent told of a child's birthday
        return select(HouseholdLink.person_id).where(HouseholdLink.relative_id == person_id,
                                                     HouseholdLink.relation == "parent")
    return None  # licences and annual reports follow a company, bound later at L3


@transactional
def scan_person(account_id: int, today: date | None = None) -> int:
    """Every date-window rule open on ``today`` for this account's person; the notifications written now."""
    today = today or clock.today()
    person_id = session().scalar(select(Person.id).where(Person.account_id == account_id))
    if person_id is None:
        return 0
    written = 0
    for rule in scanned_rules():
        subjects = _subjects(rule, person_id)
        source = SOURCES[rule.trigger.subject]
        query = source.matches(rule, today) if subjects is not None else None
        if query is None:
            continue
        column = query.selected_columns[0]
        ids = list(session().scalars(query.where(column.in_(subjects)).order_by(column)))
        if not ids:
            continue
        written += notify_matches(rule, today, [(row, [a for a in accounts if a == account_id])
                                                for row, accounts in source.load(rule, today, ids)])
    return written


@actor(queue_name=PUSH, max_retries=5)
def scan_new_resident(account_id: int) -> None:
    scan_person(account_id)


@when_verified
def _scan_once_verified(account: Account, name: str, id_number: str) -> None:
    account_id = account.id  # after the commit, when the person is linked to the account
    after_commit(lambda: scan_new_resident.send(account_id))
