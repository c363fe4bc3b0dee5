"""At the counter (柜面核验): a hall officer looks a resident up by the ID card they show, raises
their account to L3 in person, or lifts today's real-name lockout for them.

The officer types the ID number from the card; it is matched by its blind index only and shown
back masked. Every look-up and act is audited with the officer, the hall and the time, and shows in
the resident's data tracker (``record_read``). A look-up that finds nobody is audited too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.audit import log as audit_log
from app.audit.disclosures import record_read
from app.db import after_commit, transactional
from app.halls.errors import PersonNotFound
from app.halls.officers import Desk
from app.identity.accounts import find_by_id_number, find_by_phone, get_account, real_name
from app.identity.id_number import parse_id_number
from app.identity.in_person import raise_to_l3_in_person
from app.identity.models import L3, Account
from app.identity.realname import lift_attempt_limits
from app.identity.sessions import l3_max_age
from app.security.masking import mask_id_number, mask_name

PURPOSE = "in_person_check"


@dataclass(frozen=True)
class PersonAtCounter:
    account_id: int
    name: str  # masked
    id_number: str  # masked
    level: int
    l3_method: str | None
    l3_lapses_at: datetime | None


def _view(account: Account) -> PersonAtCounter:
    name, id_number = real_name(account) or ("", "")
    level = account.level(clock.now(), l3_max_age())
    return PersonAtCounter(account.id, mask_name(name), mask_id_number(id_number), level,
                           account.l3_method if level >= L3 else None,
                           account.l3_lapses_at(l3_max_age()) if level >= L3 else None)


def _verified_account(desk: Desk, id_number: str, action: str) -> Account:
    """Called outside any transaction, so the audit of a look-up that found nobody is kept."""
    number = parse_id_number(id_number, today=clock.today()).number
    account = find_by_id_number(number)
    if account is None or account.real_name_verified_at is None:
        audit_log.record_failure(action, actor=desk.actor, outcome="person_not_found", details=desk.refs())
        raise PersonNotFound()
    return account


def look_up(desk: Desk, id_number: str) -> PersonAtCounter:
    return _looked_up(desk, _verified_account(desk, id_number, "hall.look_up").id)


@transactional
def _looked_up(desk: Desk, account_id: int) -> PersonAtCounter:
    record_read(account_id, by=desk.actor, data=["name", "id_number"], purpose=PURPOSE, **desk.refs())
    return _view(get_account(account_id))


def verify_in_person(desk: Desk, id_number: str) -> PersonAtCounter:
    """The officer has compared the person with the photo on their ID card: the account is L3."""
    return _verified_in_person(desk, _verified_account(desk, id_number, "identity.in_person").id)


@transactional
def _verified_in_person(desk: Desk, account_id: int) -> PersonAtCounter:
    record_read(account_id, by=desk.actor, data=["name", "id_number"], purpose=PURPOSE, **desk.refs())
    return _view(raise_to_l3_in_person(account_id, by=desk.actor, details=desk.refs()))


def lift_real_name_lockout(desk: Desk, id_number: str, phone: str) -> None:
    """For someone not yet verified, so not findable by ID number: their account is the one bound to
    the phone they give; today's failure counts for it and for the ID number on their card go."""
    number = parse_id_number(id_number, today=clock.today()).number
    account = find_by_phone(phone.strip())
    if account is None:
        audit_log.record_failure("identity.real_name_limits_lifted", actor=desk.actor,
                                 outcome="person_not_found", details=desk.refs())
        raise PersonNotFound()
    _lifted(desk, account.id, number)


@transactional
def _lifted(desk: Desk, account_id: int, id_number: str) -> None:
    record_read(account_id, by=desk.actor, data=["phone", "id_number"], purpose=PURPOSE, **desk.refs())
    audit_log.record("identity.real_name_limits_lifted", actor=desk.actor, subject_type="account",
                     subject_id=account_id, details=desk.refs())
    after_commit(lambda: lift_attempt_limits(account_id, id_number))
