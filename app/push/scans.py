"""Date-window rules, evaluated as indexed SQL range queries in id-range batches any worker can take.

``plan_scan(today)`` asks each date-window rule's *source* for the ids its range query matches on
``today`` (Asia/Shanghai) — e.g. ``licences.valid_until BETWEEN today AND today + days_before``,
read through the index, never a loop over the whole population — cuts them into id ranges of at
most ``BATCH_SIZE`` matches and enqueues one ``scan_batch`` job per range after the commit.
``run_batch`` re-runs the same range query bounded by ``id BETWEEN lo AND hi``, resolves the
recipients for the whole batch at once and writes the notifications through
``write_notifications``: each (recipient, dedupe key) is inserted once, so a repeated scan, a
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

from app import clock
from app.audit.disclosures import record_reads
from app.audit.log import SYSTEM
from app.certificates.models import Certificate
from app.db import after_commit, session, transactional
from app.entities.acting import accounts_acting_for_many
from app.entities.models import AnnualReport, Entity
from app.licences.facts import entity_facts, licence_facts
from app.licences.models import Licence
from app.people.facts import person_facts
from app.people.models import HouseholdLink, Person
from app.push.facts import certificate_facts
from app.push.models import Notification
from app.push.notify import plan, write_notifications
from app.push.rules import Rule, rules
from app.queue import PUSH, actor, send_many

log = logging.getLogger("yss.push")

BATCH_SIZE = 1000
RECEIVE = "receive_notifications"


@dataclass(frozen=True)
class Source:
    """How one kind of date-window rule finds its matches and the facts and recipients of each."""

    # (rule, today) → SELECT of matching ids (one column, the subject's primary key), or None when closed
    matches: Callable[[Rule, date], Select | None]
    # (rule, today, ids) → [(facts, recipient account ids)]
    facts: Callable[[Rule, date, list[int]], list[tuple[dict[str, Any], list[int]]]]


# --- licences: valid_until within days_before ---------------------------------------------------

def _licence_matches(rule: Rule, today: date) -> Select:
    last = today + timedelta(days=rule.trigger.days_before)
    query = select(Licence.id).where(Licence.valid_until.between(today, last), Licence.state == "valid")
    if types := rule.conditions.get("licence_types"):
        query = query.where(Licence.type_code.in_(types))
    return query


def _licence_facts(rule: Rule, today: date, ids: list[int]) -> list[tuple[dict[str, Any], list[int]]]:
    rows = session().execute(select(Licence, Entity).join(Entity, Entity.id == Licence.entity_id)
                             .where(Licence.id.in_(ids)).order_by(Licence.id)).all()
    recipients = accounts_acting_for_many([entity.id for _l, entity in rows], RECEIVE)
    return [(licence_facts(licence, entity), recipients.get(entity.id, [])) for licence, entity in rows]


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


def _calendar_facts(rule: Rule, today: date, ids: list[int]) -> list[tuple[dict[str, Any], list[int]]]:
    opened = window_date(rule, today)
    assert opened is not None
    entities = session().scalars(select(Entity).where(Entity.id.in_(ids)).order_by(Entity.id)).all()
    recipients = accounts_acting_for_many([e.id for e in entities], RECEIVE)
    return [({**entity_facts(e), "window.year": opened.year - 1, "window.date": opened}, recipients.get(e.id, []))
            for e in entities]


# --- certificates: expires_on within days_before, to the holder --------------------------------------

def _certificate_matches(rule: Rule, today: date) -> Select:
    last = today + timedelta(days=rule.trigger.days_before)
    query = select(Certificate.id).where(Certificate.expires_on.between(today, last), Certificate.revoked_at.is_(None))
    if kind := rule.conditions.get("certificate_type"):
        query = query.where(Certificate.type == kind)
    return query


def _certificate_facts(rule: Rule, today: date, ids: list[int]) -> list[tuple[dict[str, Any], list[int]]]:
    rows = session().execute(select(Certificate, Person).join(Person, Person.id == Certificate.holder_id)
                             .where(Certificate.id.in_(ids), Person.account_id.is_not(None))
                             .order_by(Certificate.id)).all()
    return [(certificate_facts(cert, holder, today), [holder.account_id]) for cert, holder in rows]


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


def _age_facts(rule: Rule, today: date, ids: list[int]) -> list[tuple[dict[str, Any], list[int]]]:
    people = session().scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)).all()
    if rule.recipients == "self":
        return [(person_facts(p, today), [p.account_id]) for p in people]
    parents: dict[int, list[int]] = {}
    for child_id, account_id in session().execute(
            select(HouseholdLink.person_id, Person.account_id).join(Person, Person.id == HouseholdLink.relative_id)
            .where(HouseholdLink.person_id.in_(ids), HouseholdLink.relation == "parent",
                   Person.account_id.is_not(None)).order_by(HouseholdLink.id)):
        parents.setdefault(child_id, []).append(account_id)
    return [(person_facts(p, today, "child"), parents[p.id]) for p in people if p.id in parents]


SOURCES: dict[str, Source] = {
    "licence.valid_until": Source(_licence_matches, _licence_facts),
    "calendar": Source(_calendar_matches, _calendar_facts),
    "certificate.expires_on": Source(_certificate_matches, _certificate_facts),
    "age": Source(_age_matches, _age_facts),
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
    if not ids:
        return 0
    planned = [p for facts, accounts in source.facts(rule, day, ids) for p in plan(rule, facts, accounts)]
    written = write_notifications(planned)
    _record_own_data_read(rule, written)
    return len(written)


# What a scan read of the recipient's own data, for their data tracker (a child's birthday read to
# tell the parent is the child's data: it is not recorded on the parent's tracker).
SCANNED_DATA = {"certificate.expires_on": ["certificate_expiry"], "age": ["birth_date"]}


def _record_own_data_read(rule: Rule, notification_ids: list[int]) -> None:
    data = SCANNED_DATA.get(rule.trigger.subject)
    if not data or not notification_ids or (rule.trigger.subject == "age" and rule.recipients != "self"):
        return
    rows = session().execute(select(Notification.id, Notification.recipient_account_id)
                             .where(Notification.id.in_(notification_ids)).order_by(Notification.id))
    record_reads([(account_id, {"notification_id": nid}) for nid, account_id in rows], by=SYSTEM, data=data,
                 purpose="proactive_service")


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
