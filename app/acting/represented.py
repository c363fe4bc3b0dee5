"""Whom a resident may act for, and the one check every acting request passes (``X-Acting-For``).

A parent linked to a child by an authority's household record acts for the child, with every
scope, until the day before the child's 18th birthday; anyone else acts only through a live
``ProxyGrant`` and only within its scopes. Each represented person is named by an opaque ``ref``
(a keyed hash of their person id), so a ref says nothing about whom it stands for; a ref that is
not one of the actor's own, for any reason, gets the same ``acting_refused``. Each successful act
is recorded in the represented person's data tracker, naming who acted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select

from app import clock
from app.acting.errors import ActingNeedsAccount, ActingRefused
from app.acting.models import (
    APPLY_SERVICES,
    HANDLE_TICKETS,
    RECEIVE_REMINDERS,
    SCOPES,
    SHOW_CERTIFICATES,
    VIEW_CERTIFICATES,
    ProxyGrant,
)
from app.audit.disclosures import record_person_read, record_read
from app.audit.log import Actor
from app.db import session
from app.identity.accounts import get_account, real_name
from app.identity.sessions import ActingFor, Principal
from app.people.models import HouseholdLink, Person
from app.people.persons import person_name
from app.security.keys import lookup_hash
from app.sqlutil import among

GUARDIAN, PROXY = "guardian", "proxy"
ADULT_AGE = 18
# Certificates are held by the person (a baby has no account); everything else by an account.
PERSON_SCOPES = (VIEW_CERTIFICATES, SHOW_CERTIFICATES)
# What the data tracker says was touched, and why, for an act in each scope.
SCOPE_DATA = {VIEW_CERTIFICATES: "certificates", SHOW_CERTIFICATES: "certificates",
              APPLY_SERVICES: "applications", HANDLE_TICKETS: "tickets", RECEIVE_REMINDERS: "inbox"}
RELATION_LABELS = {GUARDIAN: "监护人", PROXY: "代办人"}


@dataclass(frozen=True)
class Represented:
    ref: str
    name: str
    relation: str  # guardian (I am their parent) | proxy (they granted me)
    relation_label: str
    scopes: list[str]
    until: datetime | date  # a grant's expiry, or the day a ward turns 18
    grant_id: int | None
    has_account: bool


def ref_of(person_id: int) -> str:
    return lookup_hash(str(person_id), "acting.ref")[:24]


def adult_on(birth: date) -> date:
    """The 18th birthday; someone born on 29 February comes of age on 1 March."""
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        return date(birth.year + ADULT_AGE, 3, 1)


def is_minor(person: Person, today: date) -> bool:
    return today < adult_on(person.birth_date)


def own_person(account_id: int) -> Person | None:
    return session().scalars(select(Person).where(Person.account_id == account_id)).first()


def live_grants(now: datetime):
    return select(ProxyGrant).where(ProxyGrant.revoked_at.is_(None), ProxyGrant.expires_at > now)


def _wards(actor: Person, today: date) -> list[Person]:
    children = session().scalars(
        select(Person).join(HouseholdLink, HouseholdLink.relative_id == Person.id)
        .where(HouseholdLink.person_id == actor.id, HouseholdLink.relation == "child").order_by(Person.id))
    return [child for child in children if is_minor(child, today)]


def represented(actor_account_id: int) -> list[Represented]:
    """Everyone the resident may act for now: their minor children, then whoever granted them."""
    today, now = clock.today(), clock.now()
    actor = own_person(actor_account_id)
    found: dict[int, Represented] = {}
    for child in _wards(actor, today) if actor else []:
        found[child.id] = Represented(ref_of(child.id), person_name(child) or "", GUARDIAN,
                                      RELATION_LABELS[GUARDIAN], list(SCOPES), adult_on(child.birth_date),
                                      None, child.account_id is not None)
    rows = session().execute(live_grants(now).add_columns(Person)
                             .join(Person, Person.id == ProxyGrant.grantor_person_id)
                             .where(ProxyGrant.grantee_account_id == actor_account_id).order_by(ProxyGrant.id))
    for grant, person in rows:
        if person.id not in found and person.account_id != actor_account_id:
            found[person.id] = Represented(ref_of(person.id), person_name(person) or "", PROXY,
                                           RELATION_LABELS[PROXY], list(grant.scopes), grant.expires_at,
                                           grant.id, person.account_id is not None)
    return list(found.values())


def resolve(actor_account_id: int, ref: str) -> ActingFor:
    """The acting the resident holds for ``ref`` (any scope), or ``acting_refused``."""
    today, now = clock.today(), clock.now()
    actor = own_person(actor_account_id)
    if actor is not None:
        for child in _wards(actor, today):
            if ref_of(child.id) == ref:
                return ActingFor(child.id, child.account_id, actor_account_id, GUARDIAN, SCOPES)
    rows = session().execute(live_grants(now).add_columns(Person)
                             .join(Person, Person.id == ProxyGrant.grantor_person_id)
                             .where(ProxyGrant.grantee_account_id == actor_account_id).order_by(ProxyGrant.id))
    for grant, person in rows:
        if ref_of(person.id) == ref and person.account_id != actor_account_id:
            return ActingFor(person.id, person.account_id, actor_account_id, PROXY, tuple(grant.scopes), grant.id)
    raise ActingRefused()


def act_for(principal: Principal, ref: str, scope: str) -> Principal:
    """The principal for a request that acts for ``ref`` within ``scope`` (see ``Principal``)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown acting scope {scope}")
    if principal.acting is not None or len(ref) > 64:
        raise ActingRefused()
    acting = resolve(principal.account_id, ref.strip())
    if scope not in acting.scopes:
        raise ActingRefused()
    if scope in PERSON_SCOPES:
        return replace(principal, acting=acting)
    if acting.account_id is None:
        raise ActingNeedsAccount()
    return Principal(acting.account_id, principal.session_id, principal.level, principal.l3_lapses_at, acting)


def actor_label(acting: ActingFor) -> str:
    """How the represented person's data tracker names who acted: "张三（监护人）"."""
    identity = real_name(get_account(acting.actor_account_id))
    name = identity[0] if identity else "代办人"
    return f"{name}（{RELATION_LABELS[acting.relation]}）"


def record_act(acting: ActingFor, scope: str, **refs: str | int) -> None:
    """One act in the represented person's data tracker: who acted, in which capacity, on what."""
    by = Actor("proxy", str(acting.actor_account_id))
    details = {"proxy": actor_label(acting), "relation": acting.relation, **refs}
    if acting.grant_id is not None:
        details["grant_id"] = acting.grant_id
    if acting.account_id is not None:
        record_read(acting.account_id, by=by, data=[SCOPE_DATA[scope]], purpose=f"acting_{scope}", **details)
    else:
        record_person_read(acting.person_id, by=by, data=[SCOPE_DATA[scope]], purpose=f"acting_{scope}",
                           **details)


def reminder_proxies(account_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """For each account, who also receives its reminders (a live grant with ``receive_reminders``):
    ``[(proxy account, the represented person's name)]``. One query for a whole batch of notifications."""
    found: dict[int, list[tuple[int, str]]] = {}
    if not account_ids:
        return found
    rows = session().execute(live_grants(clock.now()).add_columns(Person)
                             .join(Person, Person.id == ProxyGrant.grantor_person_id)
                             .where(among(Person.account_id, sorted(set(account_ids)))).order_by(ProxyGrant.id))
    for grant, person in rows:
        if RECEIVE_REMINDERS in grant.scopes:
            found.setdefault(person.account_id, []).append((grant.grantee_account_id, person_name(person) or ""))
    return found
