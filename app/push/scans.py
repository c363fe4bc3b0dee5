"""Date-window rules, evaluated as indexed SQL range queries in id-range batches any worker can take.

``plan_scan(today)`` asks each date-window rule's *source* for the ids its range query matches on
``today`` (Asia/Shanghai) — e.g. ``licences.valid_until BETWEEN today AND today + days_before``,
read through the index, never a loop over the whole population — cuts them into id ranges of at
most ``BATCH_SIZE`` matches and enqueues one ``scan_batch`` job per range after the commit.
``run_batch`` re-runs the same range query bounded by ``id BETWEEN lo AND hi``, reads the matched
subjects as column rows with their recipients for the whole batch at once, skips every subject
whose notifications all exist (one look-up of the batch's (recipient, dedupe key) pairs, keys made
from the cheap facts) and builds facts and plans for the rest only, written through
``write_planned``: each (recipient, dedupe key) is inserted once, so a repeated scan, a
redelivered job or two schedulers on the same day write nothing new and send nothing twice.

A window is evaluated on every day it is open, not only on its first day: a day the scan did not
run (an outage, a deploy) is caught up the next day, and the dedupe key keeps the rest harmless.
Calendar rules (the annual-report window) are open from their date for ``grace_days`` days.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Bundle

from app import clock
from app.acting.represented import reminder_proxies
from app.audit.disclosures import record_reads
from app.audit.log import SYSTEM
from app.certificates.models import Certificate
from app.db import after_commit, session, transactional
from app.entities.acting import accounts_acting_for_many
from app.entities.models import AnnualReport, Entity
from app.licences.facts import entity_facts, licence_facts
from app.licences.models import Licence
from app.people.facts import person_facts, person_key_facts
from app.people.models import HouseholdLink, Person
from app.push.content import dedupe_key
from app.push.facts import certificate_facts
from app.push.notify import notified, plan, proxy_key, write_planned
from app.push.rules import PLACEHOLDER, Rule, rules
from app.queue import PUSH, actor, send_many
from app.sqlutil import among

log = logging.getLogger("yss.push")

BATCH_SIZE = 1000
RECEIVE = "receive_notifications"


@dataclass(frozen=True)
class Source:
    """How one kind of date-window rule finds its matches, their recipients and their facts.

    ``load`` reads the matched subjects as column rows (no ORM objects) with their recipients;
    ``key_facts`` is what a dedupe key can name without decrypting anything (ids, dates), so a
    subject already notified is skipped before ``facts`` builds the rest (names, masked numbers).
    """

    # (rule, today) → SELECT of matching ids (one column, the subject's primary key), or None when closed
    matches: Callable[[Rule, date], Select | None]
    # (rule, today, ids) → [(subject row, recipient account ids)], in id order
    load: Callable[[Rule, date, list[int]], list[tuple[Any, list[int]]]]
    # (rule, today, subject row) → every fact the rule's texts may name
    facts: Callable[[Rule, date, Any], dict[str, Any]]
    # (rule, today, subject row) → the cheap facts (a subset of ``facts``)
    key_facts: Callable[[Rule, date, Any], dict[str, Any]]


# --- licences: valid_until within days_before ---------------------------------------------------

_LICENCE = Bundle("licence", Licence.id, Licence.number, Licence.type_code, Licence.valid_until, Licence.state)
_ENTITY = Bundle("entity", Entity.id, Entity.name, Entity.uscc)


def _licence_matches(rule: Rule, today: date) -> Select:
    last = today + timedelta(days=rule.trigger.days_before)
    query = select(Licence.id).where(Licence.valid_until.between(today, last), Licence.state == "valid")
    if types := rule.conditions.get("licence_types"):
        query = query.where(Licence.type_code.in_(types))
    return query


def _licence_load(rule: Rule, today: date, ids: list[int]) -> list[tuple[Any, list[int]]]:
    rows = session().execute(select(_LICENCE, _ENTITY).join(Entity, Entity.id == Licence.entity_id)
                             .where(among(Licence.id, ids)).order_by(Licence.id)).all()
    recipients = accounts_acting_for_many(sorted({row.entity.id for row in rows}), RECEIVE)
    return [(row, recipients.get(row.entity.id, [])) for row in rows]


def _licence_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    return licence_facts(row.licence, row.entity)


# --- calendar: the annual-report window (report for year Y is filed 1 January – 30 June of Y + 1) ----

def window_date(rule: Rule, today: date) -> date | None:
    """The date of this year's calendar window if ``today`` falls within it (date + grace days)."""
    month, day = rule.trigger.month_day or (1, 1)
    opens = date(today.year, month, day)
    return opens if opens <= today <= opens + timedelta(days=rule.trigger.grace_days) else None


def _calendar_matches(rule: Rule, today: date) -> Select | None:
    opened = window_date(rule, today)
    if opened is None:
        return None
    submitted = exists().where(AnnualReport.entity_id == Entity.id, AnnualReport.year == opened.year - 1,
                               AnnualReport.status == "submitted")
    query = select(Entity.id).where(Entity.stage != "deregistered")
    if rule.conditions.get("annual_report", "not_submitted") == "not_submitted":
        query = query.where(~submitted)
    if prefix := rule.conditions.get("area_prefix"):
        query = query.where(Entity.uscc.like(f"__{prefix}%"))  # USCC digits 3–8 are the area code
    return query


def _calendar_load(rule: Rule, today: date, ids: list[int]) -> list[tuple[Any, list[int]]]:
    rows = session().execute(select(_ENTITY).where(among(Entity.id, ids)).order_by(Entity.id)).all()
    recipients = accounts_acting_for_many([row.entity.id for row in rows], RECEIVE)
    return [(row, recipients.get(row.entity.id, [])) for row in rows]


def _calendar_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    opened = window_date(rule, today)
    assert opened is not None
    return {**entity_facts(row.entity), "window.year": opened.year - 1, "window.date": opened}


# --- certificates: expires_on within days_before, to the holder --------------------------------------

_CERTIFICATE = Bundle("cert", Certificate.id, Certificate.type, Certificate.number_enc, Certificate.expires_on)
_PERSON = Bundle("person", Person.id, Person.name_enc, Person.birth_date, Person.account_id)


def _certificate_matches(rule: Rule, today: date) -> Select:
    last = today + timedelta(days=rule.trigger.days_before)
    query = select(Certificate.id).where(Certificate.expires_on.between(today, last), Certificate.revoked_at.is_(None))
    if kind := rule.conditions.get("certificate_type"):
        query = query.where(Certificate.type == kind)
    return query


def _certificate_load(rule: Rule, today: date, ids: list[int]) -> list[tuple[Any, list[int]]]:
    rows = session().execute(select(_CERTIFICATE, _PERSON).join(Person, Person.id == Certificate.holder_id)
                             .where(among(Certificate.id, ids), Person.account_id.is_not(None))
                             .order_by(Certificate.id)).all()
    return [(row, [row.person.account_id]) for row in rows]


def _certificate_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    return certificate_facts(row.cert, row.person, today)


def _certificate_key_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    return {"certificate.id": row.cert.id, "certificate.type": row.cert.type,
            "certificate.expires_on": row.cert.expires_on, **person_key_facts(row.person, today)}


# --- ages: a birthday reaching N years, as a birth_date range -------------------------------------

def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # today is 29 February and that year was not a leap year
        return day.replace(year=day.year - years, day=28)


def _age_matches(rule: Rule, today: date) -> Select:
    """Born so that the N-th birthday falls within [today - grace_days, today + days_before]."""
    trigger = rule.trigger
    latest = years_before(today + timedelta(days=trigger.days_before), trigger.years or 0)
    earliest = years_before(today - timedelta(days=trigger.grace_days), trigger.years or 0)
    query = select(Person.id).where(Person.birth_date.between(earliest, latest))
    if prefix := rule.conditions.get("area_prefix"):
        query = query.where(Person.area_code.like(f"{prefix}%"))
    if rule.recipients == "self":
        query = query.where(Person.account_id.is_not(None))
    return query


def _age_load(rule: Rule, today: date, ids: list[int]) -> list[tuple[Any, list[int]]]:
    people = session().execute(select(_PERSON).where(among(Person.id, ids)).order_by(Person.id)).all()
    if rule.recipients == "self":
        return [(row, [row.person.account_id]) for row in people]
    parents: dict[int, list[int]] = {}
    for child_id, account_id in session().execute(
            select(HouseholdLink.person_id, Person.account_id).join(Person, Person.id == HouseholdLink.relative_id)
            .where(among(HouseholdLink.person_id, ids), HouseholdLink.relation == "parent",
                   Person.account_id.is_not(None)).order_by(HouseholdLink.id)):
        parents.setdefault(child_id, []).append(account_id)
    return [(row, parents[row.person.id]) for row in people if row.person.id in parents]


def _age_prefix(rule: Rule) -> str:
    return "person" if rule.recipients == "self" else "child"


def _age_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    return person_facts(row.person, today, _age_prefix(rule))


def _age_key_facts(rule: Rule, today: date, row: Any) -> dict[str, Any]:
    return person_key_facts(row.person, today, _age_prefix(rule))


SOURCES: dict[str, Source] = {
    "licence.valid_until": Source(_licence_matches, _licence_load, _licence_facts, _licence_facts),
    "calendar": Source(_calendar_matches, _calendar_load, _calendar_facts, _calendar_facts),
    "certificate.expires_on": Source(_certificate_matches, _certificate_load, _certificate_facts,
                                     _certificate_key_facts),
    "age": Source(_age_matches, _age_load, _age_facts, _age_key_facts),
}


def scanned_rules() -> list[Rule]:
    return [r for r in rules().values() if r.trigger.subject in SOURCES]


# --- planning and running batches -----------------------------------------------------------------

def id_ranges(ids: list[int], size: int = BATCH_SIZE) -> list[tuple[int, int]]:
    """Consecutive (first, last) id ranges holding at most ``size`` of the sorted ``ids`` each."""
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def batches_for(rule: Rule, today: date, size: int = BATCH_SIZE) -> list[tuple[int, int]]:
    query = SOURCES[rule.trigger.subject].matches(rule, today)
    if query is None:
        return []
    column = query.selected_columns[0]
    return id_ranges(list(session().scalars(query.order_by(column))), size)


def plan_batches(today: date, size: int = BATCH_SIZE) -> list[tuple[str, int, int]]:
    """(rule id, first id, last id) of every batch the date-window rules need on ``today``."""
    return [(rule.id, lo, hi) for rule in scanned_rules() for lo, hi in batches_for(rule, today, size)]


@transactional
def plan_scan(today: date | None = None, size: int = BATCH_SIZE) -> list[tuple[str, int, int]]:
    """Find every date-window rule's matches for ``today``; enqueue one job per id range after commit."""
    today = today or clock.today()
    jobs = plan_batches(today, size)
    day = today.isoformat()
    after_commit(lambda: send_many(scan_batch, [(rule_id, day, lo, hi) for rule_id, lo, hi in jobs]))
    log.info("push scan planned", extra={"day": day, "batches": len(jobs)})
    return jobs


@transactional
def run_batch(rule_id: str, day: date, lo: int, hi: int) -> int:
    """Evaluate one rule over one id range; returns the notifications written now (0 on a repeat)."""
    rule = rules()[rule_id]
    source = SOURCES[rule.trigger.subject]
    query = source.matches(rule, day)
    if query is None:
        return 0
    column = query.selected_columns[0]
    ids = list(session().scalars(query.where(column.between(lo, hi)).order_by(column)))
    return notify_matches(rule, day, source.load(rule, day, ids)) if ids else 0


def notify_matches(rule: Rule, today: date, matches: list[tuple[Any, list[int]]]) -> int:
    """Write ``rule``'s notification for each (subject row, recipients) not notified yet; how many now.

    The dedupe keys come from the cheap facts, and every (recipient, key) pair — a receiving proxy's
    copy included — is looked up in one query: a subject whose every notification exists is
    skipped before its facts are built, so a repeat scan reads and writes almost nothing.
    """
    source = SOURCES[rule.trigger.subject]
    matches = [(row, accounts) for row, accounts in matches if accounts]
    if not matches:
        return 0
    proxies = reminder_proxies(sorted({a for _row, accounts in matches for a in accounts}))
    needed = set(PLACEHOLDER.findall(rule.dedupe_key))
    wanted: list[tuple[Any, list[int], list[tuple[int, str]]]] = []
    for row, accounts in matches:
        facts = source.key_facts(rule, today, row)
        if not needed <= facts.keys():
            facts = source.facts(rule, today, row)
        key = dedupe_key(rule, facts)
        pairs = [(a, key) for a in accounts]
        pairs += [(proxy, proxy_key(key, a)) for a in accounts for proxy, _name in proxies.get(a, []) if proxy != a]
        wanted.append((row, accounts, pairs))
    have = notified({pair for _row, _accounts, pairs in wanted for pair in pairs})
    planned = [p for row, accounts, pairs in wanted if not have.issuperset(pairs)
               for p in plan(rule, source.facts(rule, today, row), accounts)]
    if not planned:
        return 0
    written = write_planned(planned, proxies)
    _record_own_data_read(rule, [(nid, p.account_id) for nid, p in written])
    return len(written)


# What a scan read of the recipient's own data, for their data tracker (a child's birthday read to
# tell the parent is the child's data: it is not recorded on the parent's tracker).
SCANNED_DATA = {"certificate.expires_on": ["certificate_expiry"], "age": ["birth_date"]}


def _record_own_data_read(rule: Rule, written: list[tuple[int, int]]) -> None:
    """Record the reads on the trackers of the accounts told: (notification id, account id) each."""
    data = SCANNED_DATA.get(rule.trigger.subject)
    if not data or not written or (rule.trigger.subject == "age" and rule.recipients != "self"):
        return
    record_reads([(account_id, {"notification_id": nid}) for nid, account_id in sorted(written)], by=SYSTEM,
                 data=data, purpose="proactive_service")


def scan_now(today: date | None = None, size: int = BATCH_SIZE, only: str | None = None) -> int:
    """Plan and run every batch (of one rule, with ``only``) in this process: ``--inline``, tests, the bench."""
    today = today or clock.today()
    return sum(run_batch(rule_id, today, lo, hi) for rule_id, lo, hi in plan_batches(today, size)
               if only in (None, rule_id))


@actor(queue_name=PUSH, max_retries=5)
def scan_batch(rule_id: str, day: str, lo: int, hi: int) -> None:
    written = run_batch(rule_id, date.fromisoformat(day), lo, hi)
    log.info("push scan batch", extra={"rule": rule_id, "day": day, "lo": lo, "hi": hi, "written": written})


@actor(queue_name=PUSH, max_retries=3)
def daily_scan() -> None:
    plan_scan()
