"""Operations for staff: delivery figures per rule and state, the dead letters, and requeueing them.

Dead letters are deliveries that failed for a reason that may pass (retries exhausted, a send
interrupted mid-call); permanent refusals (bad data, unknown openid…) are not requeued blindly.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import after_commit, session, transactional
from app.errors import NotFound
from app.push.delivery import enqueue_deliveries
from app.push.models import Delivery

DEAD_LETTER = or_(Delivery.reason.like("retries_exhausted:%"), Delivery.reason == "interrupted")


def delivery_figures() -> list[dict]:
    rows = session().execute(select(Delivery.rule_id, Delivery.state, func.count())
                             .group_by(Delivery.rule_id, Delivery.state).order_by(Delivery.rule_id, Delivery.state))
    return [{"rule_id": rule_id or "(direct)", "state": state, "count": n} for rule_id, state, n in rows]


def dead_letters_query():
    return select(Delivery).where(Delivery.state == "failed", DEAD_LETTER).order_by(Delivery.id.desc())


def dead_letters(offset: int, limit: int) -> tuple[list[Delivery], int]:
    stmt = dead_letters_query()
    total = session().scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return list(session().scalars(stmt.offset(offset).limit(limit))), total


@transactional
def requeue(delivery_id: int, staff_id: int) -> Delivery:
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
    return session().get(Delivery, delivery_id, populate_existing=True)
