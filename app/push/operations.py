"""Operations for staff: delivery figures per rule and state, the dead letters, and requeueing them.

Dead letters are deliveries that failed for a reason that may pass (retries exhausted, a send
interrupted mid-call); permanent refusals (bad data, unknown openid…) are not requeued blindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import after_commit, session, transactional
from app.errors import NotFound
from app.paging import Page, Window, fetch_page
from app.push.delivery import enqueue_deliveries
from app.push.models import Delivery

DEAD_LETTER = or_(Delivery.reason.like("retries_exhausted:%"), Delivery.reason == "interrupted")


@dataclass(frozen=True)
class DeliveryView:
    id: int
    notification_id: int
    rule_id: str | None
    template_id: str
    state: str
    reason: str | None
    attempts: int
    updated_at: datetime


def delivery_view(row: Delivery) -> DeliveryView:
    return DeliveryView(row.id, row.notification_id, row.rule_id, row.template_id, row.state, row.reason,
                        row.attempts, row.updated_at)


def delivery_figures() -> list[dict]:
    rows = session().execute(select(Delivery.rule_id, Delivery.state, func.count())
                             .group_by(Delivery.rule_id, Delivery.state).order_by(Delivery.rule_id, Delivery.state))
    return [{"rule_id": rule_id or "(direct)", "state": state, "count": n} for rule_id, state, n in rows]


def dead_letters_query():
    return select(Delivery).where(Delivery.state == "failed", DEAD_LETTER).order_by(Delivery.id.desc())


def dead_letters(window: Window) -> Page[DeliveryView]:
    return fetch_page(session(), dead_letters_query(), window, delivery_view)


@transactional
def requeue(delivery_id: int, staff_id: int) -> DeliveryView:
    """Give a dead letter a fresh round of attempts (its consent is spent again on claim)."""
    now = clock.now()
    done = session().execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.state == "failed", DEAD_LETTER)
                             .values(state="pending", reason="requeued", attempts=0, next_attempt_at=now,
                                     updated_at=now)).rowcount
    if done != 1:
        raise NotFound()
    audit_log.record("push.delivery_requeued", actor=Actor("staff", str(staff_id)), subject_type="delivery",
                     subject_id=str(delivery_id), details={})
    after_commit(lambda: enqueue_deliveries([delivery_id]))
    return delivery_view(session().get(Delivery, delivery_id, populate_existing=True))
