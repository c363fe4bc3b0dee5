"""Settling decided applications left unrated: Guangdong counts a case not rated within 7 natural
days of its decision as 基本满意 (3, docs/product.md), as for tickets (``app.tickets.settlement``).

A periodic job writes that default rating (``source = default``) for each such application and
records it on the case; it is safe to run twice or on two workers at once, since it only takes an
application whose ``rating_id`` is still empty (row locks skipped by a second worker on PostgreSQL).
"""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.applications.models import Application, ApplicationEvent
from app.db import session, transactional
from app.queue import actor
from app.ratings.models import Rating
from app.ratings.ratings import RATING_PERIOD

DEFAULT_SCORE = 3  # 基本满意
BATCH = 200


@actor(queue_name="tickets", max_retries=3)
def settle_decided_applications() -> None:
    while settle_batch() == BATCH:
        pass


@transactional
def settle_batch(limit: int = BATCH) -> int:
    """Default-rate up to ``limit`` applications decided more than 7 days ago and not rated."""
    now = clock.now()
    stmt = (select(Application).where(Application.decision.is_not(None), Application.rating_id.is_(None),
                                      Application.decided_at < now - RATING_PERIOD)
            .order_by(Application.id).limit(limit))
    if session().get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    applications = list(session().scalars(stmt))
    for application in applications:
        rating = Rating(account_id=application.applicant_account_id, service_id=application.service_id,
                        department_id=application.department_id, staff_id=application.handled_by,
                        score=DEFAULT_SCORE, comment=None, tags=[], source="default", created_at=now, updated_at=now)
        session().add(rating)
        session().flush()
        application.rating_id = rating.id
        session().add(ApplicationEvent(application_id=application.id, at=now, actor_type="system", kind="rated",
                                       from_state=application.state, to_state=application.state,
                                       details={"score": DEFAULT_SCORE, "source": "default", "rating_id": rating.id}))
    return len(applications)
