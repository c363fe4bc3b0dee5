"""A licence's status as a user sees it on a given day (Asia/Shanghai).

Decisions by the authority win (suspended, revoked, cancelled). Otherwise the dates decide:
``valid_until`` is the last day a licence is valid, so it is ``expired`` from the day after; it is
``expiring`` from ``renewal_window_days`` before ``valid_until`` up to and including that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, false, or_

from app.licences.catalogue import catalogue, licence_type
from app.licences.models import Licence

STATUSES = ("valid", "expiring", "expired", "suspended", "revoked", "cancelled")
STATUS_NAMES = {"valid": "有效", "expiring": "即将到期", "expired": "已过期", "suspended": "暂扣",
                "revoked": "吊销", "cancelled": "注销"}
DECIDED = ("suspended", "revoked", "cancelled")  # an authority's decision, with its reason


def window_opens(valid_until: date, window_days: int) -> date:
    return valid_until - timedelta(days=window_days)


def licence_status(licence: Licence, today: date) -> str:
    if licence.state != "valid":
        return licence.state
    if licence.valid_until is None:
        return "valid"
    if today > licence.valid_until:
        return "expired"
    if today >= window_opens(licence.valid_until, licence_type(licence.type_code).renewal_window_days):
        return "expiring"
    return "valid"


def status_condition(status: str, today: date) -> ColumnElement[bool]:
    """The SQL filter selecting licences whose derived status on ``today`` is ``status``."""
    if status not in ("valid", "expiring", "expired"):
        return Licence.state == status
    decided_valid = Licence.state == "valid"
    if status == "expired":
        return and_(decided_valid, Licence.valid_until < today)
    # Each type has its own window, so "expiring" is one date range per type.
    expiring = or_(false(), *[
        and_(Licence.type_code == code, Licence.valid_until <= today + timedelta(days=kind.renewal_window_days))
        for code, kind in catalogue().items()
    ])
    in_date = and_(Licence.valid_until.is_not(None), Licence.valid_until >= today)
    if status == "expiring":
        return and_(decided_valid, in_date, expiring)
    return and_(decided_valid, or_(Licence.valid_until.is_(None), and_(in_date, ~expiring)))
