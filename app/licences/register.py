"""Licences as issuing authorities report them: upserts and status decisions, each with its history.

Every change drops the licence's cached public answer once the transaction has committed, so the
next public check reads the new state (and a rolled-back change leaves the cache alone). Status
decisions dated in the future wait as scheduled changes (``change_licence_state``); the periodic
job in schedule.py applies them on their date.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import bindparam, select, update

from app import clock
from app.db import after_commit, session, transactional
from app.entities.acting import accounts_acting_for
from app.entities.models import Entity
from app.licences import errors, public_check
from app.licences.catalogue import licence_type
from app.licences.facts import licence_facts
from app.licences.models import Licence, LicenceStatusChange
from app.push.outbox import as_payload, emit

log = logging.getLogger("yss.licences")

# action → (states it may act on, the state it leads to)
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "suspend": (("valid",), "suspended"),
    "reinstate": (("suspended",), "valid"),
    "revoke": (("valid", "suspended"), "revoked"),
    "cancel": (("valid", "suspended"), "cancelled"),
}


def find_licence(number: str) -> Licence | None:
    return session().scalars(select(Licence).where(Licence.number == number.strip())).first()


def upsert_licence(*, number: str, type_code: str, holder: Entity, issued_on: date, valid_until: date | None,
                   issuer: str | None = None, authority_id: str | None = None) -> Licence:
    kind = licence_type(type_code)
    if valid_until is None:
        valid_until = kind.default_valid_until(issued_on)
    if valid_until is not None and valid_until < issued_on:
        raise errors.ValidityInvalid()
    now = clock.now()
    licence = find_licence(number)
    created = licence is None
    if licence is None:
        licence = Licence(number=number.strip(), state="valid", created_at=now)
        session().add(licence)
    if licence.authority_id is None:  # its first issuer owns it (intake refuses any other)
        licence.authority_id = authority_id
    licence.type_code, licence.entity_id, licence.issued_on = type_code, holder.id, issued_on
    licence.valid_until, licence.issuer, licence.updated_at = valid_until, issuer or kind.issuer, now
    if created:
        _history(licence, None, "valid", "发证", issued_on)
    session().flush()
    _forget_cached(licence.number)
    return licence


def change_licence_state(licence: Licence, action: str, reason: str, effective_on: date) -> LicenceStatusChange:
    """Record an authority's status decision; it fires the push an applied change fires (a suspension).

    A decision dated today or earlier (``clock.today()``, Asia/Shanghai) applies at once. One dated
    later is recorded as ``scheduled``: the licence keeps its status, its view shows the change with
    its date, and ``apply_due_changes`` (the periodic job, or the next decision for the licence)
    applies it on that date.

    Decisions take effect in the order of their dates:

    * A decision is checked against the state the licence will be in on its date: its current state
      after the scheduled decisions dated before it (a reinstatement dated after a scheduled
      suspension is accepted and ends it on that date).
    * It supersedes every scheduled decision dated on or after its own date: the authority's newer
      word on that period wins (a corrected date, a revocation overtaking a suspension). Superseded
      decisions stay in the history, marked ``superseded``; they never apply and fire nothing.
    * Withdrawal: a decision that would leave the licence in the state it is in (e.g. ``reinstate``
      while valid) is refused as a transition, unless it supersedes scheduled decisions and none
      dated earlier remain; then it withdraws them, recorded as applied at once (no status change,
      no push).
    """
    allowed_from, to = ACTIONS[action]
    licence = _locked(licence.id)
    today = clock.today()
    apply_due_changes(licence, today)  # the periodic job may not have run yet today
    pending = scheduled_changes([licence.id]).get(licence.id, [])
    earlier = [c for c in pending if c.effective_on is not None and c.effective_on < effective_on]
    superseded = pending[len(earlier):]
    before = earlier[-1].state if earlier else licence.state
    withdrawal = to == before and bool(superseded) and not earlier
    if before not in allowed_from and not withdrawal:
        raise errors.LicenceStatusTransitionInvalid(details={"from": before, "action": action})
    for change in superseded:
        change.status = "superseded"
    if withdrawal or effective_on <= today:
        change = _history(licence, before, to, reason, effective_on)
        _apply(licence, change)
    else:
        change = _history(licence, before, to, reason, effective_on, status="scheduled")
    return change


_SCHEDULED = (select(LicenceStatusChange)  # built once: licence lists read it on every request
              .where(LicenceStatusChange.licence_id.in_(bindparam("licence_ids", expanding=True)),
                     LicenceStatusChange.status == "scheduled")
              .order_by(LicenceStatusChange.effective_on, LicenceStatusChange.id)
              .execution_options(populate_existing=True))


def scheduled_changes(licence_ids: list[int], due_by: date | None = None) -> dict[int, list[LicenceStatusChange]]:
    """Each licence's scheduled changes in the order they take effect (optionally only those due)."""
    statement = _SCHEDULED if due_by is None else _SCHEDULED.where(LicenceStatusChange.effective_on <= due_by)
    rows = session().scalars(statement, {"licence_ids": licence_ids})
    found: dict[int, list[LicenceStatusChange]] = {}
    for row in rows:
        found.setdefault(row.licence_id, []).append(row)
    return found


def apply_due_changes(licence: Licence, today: date) -> list[LicenceStatusChange]:
    """Apply the licence's scheduled changes dated ``today`` or earlier, oldest first.

    The caller holds the licence's row lock (``_locked``); each change is also claimed by one
    conditional UPDATE, so a second run, or a second worker, applies and announces nothing again.
    """
    applied = []
    for change in scheduled_changes([licence.id], due_by=today).get(licence.id, []):
        if licence.state != change.from_state:
            # Cannot happen while every decision goes through change_licence_state; never apply a
            # decision to a state it was not checked against.
            log.warning("scheduled licence change no longer applies", extra={"change_id": change.id})
            change.status = "superseded"
            continue
        claimed = session().execute(update(LicenceStatusChange).where(
            LicenceStatusChange.id == change.id, LicenceStatusChange.status == "scheduled").values(
            status="applied", applied_at=clock.now()))
        if claimed.rowcount != 1:
            continue
        session().refresh(change)
        _apply(licence, change)
        applied.append(change)
    return applied


@transactional
def apply_due_changes_of(licence_id: int) -> int:
    """One licence's due changes in their own transaction (the periodic job); returns how many applied."""
    licence = _locked(licence_id)
    return len(apply_due_changes(licence, clock.today()))


def due_licence_ids(today: date, limit: int) -> list[int]:
    return list(session().scalars(
        select(LicenceStatusChange.licence_id)
        .where(LicenceStatusChange.status == "scheduled", LicenceStatusChange.effective_on <= today)
        .group_by(LicenceStatusChange.licence_id).order_by(LicenceStatusChange.licence_id).limit(limit)))


def _locked(licence_id: int) -> Licence:
    """The licence, re-read under its row lock (PostgreSQL; SQLite's write transaction serialises),
    so a decision received and the periodic job never interleave on one licence."""
    return session().scalars(select(Licence).where(Licence.id == licence_id).with_for_update()
                             .execution_options(populate_existing=True)).one()


def _apply(licence: Licence, change: LicenceStatusChange) -> None:
    now = clock.now()
    change.status, change.applied_at = "applied", change.applied_at or now
    if change.state == change.from_state:
        return  # a withdrawal: the licence stays as it is, its reason too
    licence.state, licence.state_reason, licence.updated_at = change.state, change.reason, now
    session().flush()
    _forget_cached(licence.number)
    if change.state == "suspended":
        _announce_suspension(licence, change)


def _announce_suspension(licence: Licence, change: LicenceStatusChange) -> None:
    """The "licence suspended" push, through the outbox in this transaction: it fires once if and only
    if the suspension commits (received today, or applied on its date), to whoever acts for the holder
    with receive_notifications then. Its dedupe key is the change, so it never fires twice."""
    entity = session().get(Entity, licence.entity_id)
    facts = {**licence_facts(licence, entity), "event.id": change.id,
             "event.reason": change.reason, "event.effective_on": change.effective_on}
    emit("licence.suspended", {"facts": as_payload(facts),
                               "account_ids": accounts_acting_for(entity.id, "receive_notifications")})


def _history(licence: Licence, from_state: str | None, state: str, reason: str,
             effective_on: date, status: str = "applied") -> LicenceStatusChange:
    session().flush()
    now = clock.now()
    change = LicenceStatusChange(licence_id=licence.id, from_state=from_state, state=state, reason=reason,
                                 effective_on=effective_on, recorded_at=now, status=status,
                                 applied_at=now if status == "applied" else None)
    session().add(change)
    session().flush()
    return change


def _forget_cached(number: str) -> None:
    after_commit(lambda: public_check.forget(number))
