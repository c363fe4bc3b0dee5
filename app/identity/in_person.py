"""L3 reached in person: a hall officer has checked the resident and their ID card at a service hall.

The level is recorded like a face check (``face_verified_at``, method ``in_person``) and lapses
after the same ``L3_MAX_AGE_DAYS``; the audit entry names the officer and the hall.
"""

from __future__ import annotations

from typing import Any

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import transactional
from app.identity import errors
from app.identity.accounts import get_account
from app.identity.models import IN_PERSON, Account


@transactional
def raise_to_l3_in_person(account_id: int, *, by: Actor, details: dict[str, Any]) -> Account:
    account = get_account(account_id)
    if account.real_name_verified_at is None:
        raise errors.LevelRequired("请先完成实名认证", details={"required_level": 2})
    account.face_verified_at, account.l3_method = clock.now(), IN_PERSON
    audit_log.record("identity.in_person", actor=by, subject_type="account", subject_id=account_id,
                     details=details)
    return account
