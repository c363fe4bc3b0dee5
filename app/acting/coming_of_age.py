"""A ward's 18th birthday: the parents' acting has already ended by itself (``represented.is_minor``
reads the date on every request); this daily job tells the parents and the child, once.

The ``ComingOfAge`` row and the outbox event are written in one transaction, so a repeated run, a
second scheduler or a retried job tells nobody twice; a child whose birthday fell while the job
did not run is still told within ``CATCH_UP`` days.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.acting.models import ComingOfAge
from app.acting.represented import ADULT_AGE, adult_on
from app.db import session, transactional
from app.people.household import parents_of
from app.people.models import HouseholdLink, Person
from app.people.persons import person_name
from app.push.outbox import as_payload, emit
from app.queue import PUSH, actor
from app.security.masking import mask_name

CATCH_UP = timedelta(days=30)


def _born_between(today: date) -> tuple[date, date]:
    def years_back(day: date) -> date:
        try:
            return day.replace(year=day.year - ADULT_AGE)
        except ValueError:  # 29 February 18 years back: 28 February (1 March births are adults then too)
            return date(day.year - ADULT_AGE, 2, 28)

    return years_back(today - CATCH_UP) - timedelta(days=1), years_back(today)


@transactional
def announce_coming_of_age(today: date | None = None) -> int:
    """Tell each ward who turned 18 (in the last ``CATCH_UP`` days) and their parents; returns how many."""
    today = today or clock.today()
    first, last = _born_between(today)
    announced = select(ComingOfAge.person_id)
    wards = session().scalars(
        select(Person).where(Person.birth_date.between(first, last), Person.id.not_in(announced),
                             Person.id.in_(select(HouseholdLink.person_id).where(HouseholdLink.relation == "parent")))
        .order_by(Person.id))
    told = 0
    for child in wards:
        if not (today - CATCH_UP < adult_on(child.birth_date) <= today):
            continue
        session().add(ComingOfAge(person_id=child.id, adult_on=adult_on(child.birth_date), announced_at=clock.now()))
        accounts = [p.account_id for p in parents_of(child.id) if p.account_id is not None]
        if child.account_id is not None:
            accounts.append(child.account_id)
        facts = {"event.id": child.id, "event.adult_on": adult_on(child.birth_date), "child.id": child.id,
                 "child.name_masked": mask_name(person_name(child) or "")}
        emit("acting.coming_of_age", {"facts": as_payload(facts), "account_ids": accounts})
        told += 1
    session().flush()
    return told


@actor(queue_name=PUSH, max_retries=3)
def tell_coming_of_age() -> None:
    announce_coming_of_age()
