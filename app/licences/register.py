"""Licences as issuing authorities report them: upserts and status decisions, each with its history.

Every change drops the licence's cached public answer once the transaction has committed, so the
next public check reads the new state (and a rolled-back change leaves the cache alone).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import clock
from app.db import after_commit, session
from app.entities.models import Entity
from app.errors import ValidationFailed
from app.licences import public_check
from app.licences.catalogue import licence_type
from app.licences.models import Licence, LicenceStatusChange

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
                   issuer: str | None = None) -> Licence:
    kind = licence_type(type_code)
    if valid_until is None:
        valid_until = kind.default_valid_until(issued_on)
    if valid_until is not None and valid_until < issued_on:
        raise ValidationFailed("有效期截止日早于发证日期", code="validity_invalid")
    now = clock.now()
    licence = find_licence(number)
    created = licence is None
    if licence is None:
        licence = Licence(number=number.strip(), state="valid", created_at=now)
        session().add(licence)
    licence.type_code, licence.entity_id, licence.issued_on = type_code, holder.id, issued_on
    licence.valid_until, licence.issuer, licence.updated_at = valid_until, issuer or kind.issuer, now
    if created:
        _history(licence, None, "valid", "发证", issued_on)
    session().flush()
    _forget_cached(licence.number)
    return licence


def change_licence_state(licence: Licence, action: str, reason: str, effective_on: date) -> LicenceStatusChange:
    allowed_from, to = ACTIONS[action]
    if licence.state not in allowed_from:
        raise ValidationFailed("许可证当前状态不允许此操作", code="licence_status_transition_invalid",
                               details={"from": licence.state, "action": action})
    change = _history(licence, licence.state, to, reason, effective_on)
    licence.state, licence.state_reason, licence.updated_at = to, reason, clock.now()
    _forget_cached(licence.number)
    return change


def _history(licence: Licence, from_state: str | None, state: str, reason: str,
             effective_on: date) -> LicenceStatusChange:
    session().flush()
    change = LicenceStatusChange(licence_id=licence.id, from_state=from_state, state=state, reason=reason,
                                 effective_on=effective_on, recorded_at=clock.now())
    session().add(change)
    session().flush()
    return change


def _forget_cached(number: str) -> None:
    after_commit(lambda: public_check.forget(number))
